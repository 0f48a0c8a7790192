// The demo: the main job on the simulators. Starts both platform simulators, runs `pulumi up` on
// the example users.yaml, removes one person, shows the preview, runs `pulumi up` again and prints
// the simulators' request logs so both DELETEs are visible.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseDocument } from "yaml";
import { ControlRoomSimulator, SIM_ADMIN } from "./controlroom/simulator";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "./anypoint/simulator";
import { mutatingRequests, type RecordedRequest } from "./harness";
import { PROJECT_ROOT, ProjectStack } from "../pulumi/engine/pulumi-cli";
import { loadUsersFile } from "../core/model/load";
import { readAuditLines, summarizeAudit } from "../features/audit/summary";
import { renderMarkdown } from "../features/report/render";
import { buildReport } from "../features/report/report";

export interface DemoOptions {
  /** Person key to remove in the second run (default: the last unprotected person). */
  remove?: string;
  out?: (line: string) => void;
}

export async function runDemo(options: DemoOptions = {}): Promise<void> {
  const out = options.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const usersFile = path.join(PROJECT_ROOT, "users.yaml");
  const model = loadUsersFile(usersFile);
  const victim = options.remove ?? [...model.people].reverse().find((p) => !p.protected && p.controlRoom && p.anypoint)?.key;
  if (!victim) throw new Error(`${usersFile} has no unprotected person on both platforms to remove in the demo`);

  const sim = new ControlRoomSimulator({ idleTimeoutSeconds: 600 });
  // An existing user that users.yaml also declares: the first run adopts it instead of failing.
  const adoptee = model.people.find((p) => p.controlRoom && p.key !== victim)!;
  sim.addUser({ username: adoptee.controlRoom!.username.toUpperCase(), email: adoptee.email, roles: ["AAE_Basic"] });
  const url = await sim.start();
  // An Anypoint master organization with the business groups and teams users.yaml refers to.
  const anypoint = new AnypointSimulator({
    idleTimeoutSeconds: 600,
    seed: { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"] },
  });
  anypoint.state.master.name = "Acme Corp";
  const anypointUrl = await anypoint.start();
  const work = mkdtempSync(path.join(os.tmpdir(), "rollcall-demo-"));
  const stack = new ProjectStack({
    stack: "demo",
    stateDir: path.join(work, "state"),
    projectDir: path.join(work, "project"),
    echo: true,
    env: {
      // The documented default path: one person's failure never blocks the others (see `rollcall up`).
      PULUMI_CONTINUE_ON_ERROR: "true",
      ROLLCALL_CONTROLROOM_URL: url,
      ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
      ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey,
      ROLLCALL_ANYPOINT_URL: anypointUrl,
      ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId,
      ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret,
      // The demo shows the DELETE calls; a real stack disables by default (docs/safety.md).
      ROLLCALL_OFFBOARDING: "delete",
    },
  });
  try {
    out(`\n== rollcall demo: Control Room simulator on ${url}, Anypoint simulator on ${anypointUrl}; state in ${work}`);
    await stack.init();
    out(
      `\n== 1. pulumi up with ${usersFile} (${model.people.length} people; '${adoptee.controlRoom!.username}' already exists ` +
        `and is adopted)\n`,
    );
    await must(stack.up(), "first pulumi up");
    printLog(out, sim.requests, "Control Room, first up");
    printLog(out, anypoint.requests, "Anypoint, first up");
    sim.server.clearLog();
    anypoint.server.clearLog();

    const trimmed = path.join(work, "users.yaml");
    writeFileSync(trimmed, withoutPerson(readFileSync(usersFile, "utf8"), victim));
    stack.opts.env!.ROLLCALL_USERS_FILE = trimmed;
    out(
      `\n== 2. '${victim}' removed from users.yaml: what a reviewer sees (pulumi preview --diff, then the pull-request comment ` +
        `rollcall posts)\n`,
    );
    await must(stack.preview(["--diff"]), "pulumi preview");
    const { digest } = await stack.previewJson();
    // The pull-request comment reviewers get (what `rollcall preview --markdown` posts), not a second renderer.
    out(`\n${renderMarkdown(buildReport(digest, { stack: "demo" }))}`);
    out(`\n== 3. pulumi up: removes '${victim}'\n`);
    await must(stack.up(), "second pulumi up");
    printLog(out, sim.requests, "Control Room, second up");
    printLog(out, anypoint.requests, "Anypoint, second up");
    out(`\n-- ${summarizeAudit(readAuditLines(path.join(work, "project", "audit", "demo.jsonl")))}`);
    const deletes = [...sim.requests, ...anypoint.requests].filter((r) => r.method === "DELETE");
    out(`\n== done: '${victim}' removed with ${deletes.length} DELETE calls:`);
    for (const d of deletes) out(`   DELETE ${d.path}${Array.isArray(d.body) ? ` ${JSON.stringify(d.body)}` : ""} → ${d.status}`);
  } finally {
    await sim.stop();
    await anypoint.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** users.yaml text with one person's entry removed, as a reviewer's pull request would. */
export function withoutPerson(text: string, key: string): string {
  const doc = parseDocument(text);
  const users = doc.get("users") as { items: { get(k: string): unknown }[] };
  const index = users.items.findIndex((item) => item.get("key") === key);
  if (index < 0) throw new Error(`no person with key '${key}' in users.yaml`);
  users.items.splice(index, 1);
  return doc.toString();
}

async function must(p: Promise<{ code: number; stderr: string }>, what: string): Promise<void> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what} failed with exit code ${r.code}`);
}

function printLog(out: (l: string) => void, log: RecordedRequest[], title: string): void {
  const mutating = mutatingRequests(log);
  out(`\n-- simulator request log: ${title} (${log.length} requests, ${mutating.length} mutating)`);
  for (const r of log)
    out(
      `   ${String(r.seq).padStart(3)} ${r.method.padEnd(6)} ${r.path}${r.query} → ${r.status}` +
        `${r.method === "DELETE" ? "   <== DELETE" : ""}`,
    );
}
