// `npx rollcall sim`, as the README's readers use it: it prints one `export` line that points
// rollcall at both simulators, holding the sample organization the getting-started test runs on.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/pulumi/engine/pulumi-cli";
import { SAMPLE_CONTROL_ROOM } from "../../src/sim/sample-org";

describe("rollcall sim", () => {
  it("prints an export line with every setting, and serves the sample organization there", async () => {
    const child = spawn("node", [path.join(PROJECT_ROOT, "dist/cli/rollcall.js"), "sim"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => {
          out += d;
          const m = /^\s*export (.*)$/m.exec(out);
          if (m && out.includes("\n", m.index + m[0].length - 1)) resolve(m[1]!);
        });
        child.on("close", (code) => reject(new Error(`rollcall sim exited (${code}) before printing an export line:\n${out}`)));
      });
      const env = Object.fromEntries(line.split(/\s+/).map((kv) => kv.split("=", 2) as [string, string]));
      expect(Object.keys(env).sort()).toEqual([
        "ROLLCALL_ANYPOINT_CLIENT_ID",
        "ROLLCALL_ANYPOINT_CLIENT_SECRET",
        "ROLLCALL_ANYPOINT_URL",
        "ROLLCALL_CONTROLROOM_API_KEY",
        "ROLLCALL_CONTROLROOM_URL",
        "ROLLCALL_CONTROLROOM_USERNAME",
      ]);
      // The Control Room simulator answers there, with the sample organization's people.
      const auth = await fetch(`${env.ROLLCALL_CONTROLROOM_URL}/v2/authentication`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: env.ROLLCALL_CONTROLROOM_USERNAME, apiKey: env.ROLLCALL_CONTROLROOM_API_KEY }),
      });
      expect(auth.status).toBe(200);
      const { token } = (await auth.json()) as { token: string };
      const list = await fetch(`${env.ROLLCALL_CONTROLROOM_URL}/v2/usermanagement/users/list`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-authorization": token },
        body: "{}",
      });
      const users = ((await list.json()) as { list: { username: string }[] }).list.map((u) => u.username);
      for (const u of SAMPLE_CONTROL_ROOM.users!) expect(users).toContain(u.username);
      const token2 = await fetch(`${env.ROLLCALL_ANYPOINT_URL}/accounts/api/v2/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_id: env.ROLLCALL_ANYPOINT_CLIENT_ID,
          client_secret: env.ROLLCALL_ANYPOINT_CLIENT_SECRET,
        }),
      });
      expect(token2.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
