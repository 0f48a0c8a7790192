// A real S3-compatible object store for tests: SeaweedFS's `weed server -s3`, built by set-up from
// Go modules (scripts/build-weed.sh) into the cache. Loopback only; stopped by the test (and it
// dies with the test process: the child is killed on exit).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface ObjectStore {
  /** The Pulumi backend URL of the bucket (the one setting a CI workflow needs). */
  backendUrl: string;
  env: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string };
  stop(): Promise<void>;
}

const KEY = { accessKey: "rollcall-test", secretKey: "rollcall-test-secret" };

/** A free port p whose p+10000 (SeaweedFS's gRPC port for it) is also free. */
async function freePort(): Promise<number> {
  for (;;) {
    const p = 20000 + Math.floor(Math.random() * 25000);
    if ((await canBind(p)) && (await canBind(p + 10000))) return p;
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

export async function startObjectStore(bucket = "rollcall-state"): Promise<ObjectStore> {
  const weed = process.env.ROLLCALL_WEED;
  if (!weed)
    throw new Error("ROLLCALL_WEED is not set: run the tests through scripts/with-env.sh after make setup (which builds SeaweedFS's weed)");
  const dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-s3-"));
  mkdirSync(path.join(dir, "data"));
  const config = path.join(dir, "s3.json");
  writeFileSync(
    config,
    JSON.stringify({ identities: [{ name: "rollcall", credentials: [KEY], actions: ["Admin", "Read", "Write", "List", "Tagging"] }] }),
  );
  const [master, volume, filer, s3] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    weed,
    [
      "server",
      "-ip=127.0.0.1",
      "-ip.bind=127.0.0.1",
      `-dir=${path.join(dir, "data")}`,
      `-master.port=${master}`,
      `-volume.port=${volume}`,
      `-filer`,
      `-filer.port=${filer}`,
      "-s3",
      `-s3.port=${s3}`,
      `-s3.config=${config}`,
      "-s3.port.iceberg=0",
      "-s3.port.lance=0",
      "-volume.max=5",
      "-master.volumeSizeLimitMB=64",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d));
  child.stderr!.on("data", (d: Buffer) => (log += d));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const stop = async () => {
    process.removeListener("exit", kill);
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The bucket, made through SeaweedFS's own admin shell once the cluster answers (bounded wait).
    // A create that answered "already exists" was made by an earlier attempt of this loop.
    const deadline = Date.now() + 90_000;
    let bucketMade = false;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`weed server exited ${child.exitCode}:\n${log.slice(-3000)}`);
      let answer = "";
      if (!bucketMade) {
        const r = spawnSync(weed, ["shell", `-master=127.0.0.1:${master}`, `-filer=127.0.0.1:${filer}`], {
          input: `s3.bucket.create -name ${bucket}\n`,
          encoding: "utf8",
          timeout: 20_000,
        });
        answer = `${r.stdout}${r.stderr}`;
        bucketMade = r.status === 0 && (!/error|failed/i.test(answer) || /already exists/i.test(answer));
      }
      if (bucketMade && (await canConnect(s3))) break;
      if (Date.now() > deadline) throw new Error(`SeaweedFS did not come up in 90 s:\n${answer}\n${log.slice(-3000)}`);
      await new Promise((res) => setTimeout(res, 1000));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    backendUrl: `s3://${bucket}?endpoint=127.0.0.1:${s3}&disableSSL=true&s3ForcePathStyle=true&region=us-east-1`,
    env: { AWS_ACCESS_KEY_ID: KEY.accessKey, AWS_SECRET_ACCESS_KEY: KEY.secretKey, AWS_REGION: "us-east-1" },
    stop,
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => (s.end(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}
