// `rollcall export`: reads the platforms with the settings the program uses (a stack's config,
// secrets decrypted by `pulumi config --show-secrets --json`, then the environment) and writes a
// users.yaml that validates and that, applied, changes nothing.
import { existsSync, writeFileSync } from "node:fs";
import { AnypointClient } from "../../providers/anypoint/client";
import { ControlRoomClient } from "../../providers/controlroom/client";
import { readAnypointSettings, readControlRoomSettings, type ConfigGetter } from "../../core/config";
import { commandProjectRoot, ProjectStack } from "../../pulumi/engine/pulumi-cli";
import { loadUsersFile, parseUsersYaml } from "../../core/model/load";
import { readAnypoint, readControlRoom, type Progress } from "./inventory";
import { planExport, type ExportInput, type PreviousEntry } from "./people";
import { renderUsersYaml } from "./render";
import { runCommand, UsageError, type CliIo, type CommandSpec } from "../../core/cli-args";

export type ExportPlatform = "controlroom" | "anypoint";

export interface ExportOptions {
  platforms: ExportPlatform[];
  /** The users.yaml being replaced, if any: its people keep their keys and `protected`. */
  previous?: string;
  config: ConfigGetter;
  progress: Progress;
}

/** The users.yaml text, checked by the same loader the program uses before it is returned. */
export async function exportUsersYaml(opts: ExportOptions): Promise<{ text: string; people: number; leftOut: number }> {
  const input: ExportInput = { callers: {}, unreadable: [], previous: opts.previous ? previousEntries(opts.previous) : undefined };
  const names: string[] = [];
  if (opts.platforms.includes("controlroom")) {
    const settings = readControlRoomSettings(opts.config);
    const client = new ControlRoomClient(settings);
    try {
      input.controlRoom = await readControlRoom(client, opts.progress, input.unreadable);
      input.callers!.controlRoom = settings.username;
      names.push(`Control Room ${client.url}`);
    } finally {
      await client.close();
    }
  }
  if (opts.platforms.includes("anypoint")) {
    const settings = readAnypointSettings(opts.config);
    const client = new AnypointClient(settings);
    try {
      input.anypoint = await readAnypoint(client, opts.progress, settings.roleSearch, 8, input.unreadable);
      const me = await client.me();
      if (me.kind === "user") input.callers!.anypoint = me.name;
      names.push(`Anypoint ${client.url}`);
    } finally {
      await client.close();
    }
  }
  const plan = planExport(input);
  const text = renderUsersYaml(plan, names);
  // Fail closed: a file that would not load is never written.
  parseUsersYaml(text, "exported users.yaml");
  return { text, people: plan.entries.length, leftOut: plan.leftOut.length };
}

/**
 * Keys and protection of the people in the users.yaml being replaced; one that does not load stops the export with its problems (fix it or
 * move it away).
 */
function previousEntries(file: string): PreviousEntry[] | undefined {
  if (!existsSync(file)) return undefined;
  const model = loadUsersFile(file);
  return model.people.map((p) => ({
    key: p.key,
    email: p.email,
    protected: p.protected,
    controlRoomUsername: p.controlRoom?.username,
    anypointUsername: p.anypoint?.username,
  }));
}

/** Stack config with secrets in clear (the program sees the same values), as a getter. */
export async function stackConfig(stack: string, projectDir = commandProjectRoot()): Promise<ConfigGetter> {
  const r = await new ProjectStack({ stack, projectDir }).run(["config", "--show-secrets", "--json"]);
  if (r.code !== 0)
    throw new Error(`pulumi config --show-secrets --json --stack ${stack} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  const values = JSON.parse(r.stdout || "{}") as Record<string, { value?: unknown }>;
  return (key) => {
    const v = values[key]?.value;
    return v === undefined || v === null ? undefined : String(v);
  };
}

export const EXPORT_SPEC = {
  name: "rollcall export",
  summary: "Writes the platforms' users as a users.yaml that, applied, changes nothing (docs/export.md).",
  options: {
    stack: {
      type: "string",
      value: "NAME",
      help: "read the platforms' settings from this stack's config (default: the ROLLCALL_* environment)",
    },
    platform: { type: "string", value: "controlroom|anypoint", help: "one platform only (default both)" },
    out: {
      type: "string",
      value: "FILE",
      help: "write to FILE, keeping the keys and protection of the people it already lists (default stdout)",
    },
    cwd: { type: "string", value: "DIR", help: "the project directory of --stack (default this checkout)" },
  },
} satisfies CommandSpec;

export async function runExport(args: string[], io: CliIo): Promise<number> {
  return runCommand(EXPORT_SPEC, args, io, async ({ values: v }) => {
    const platform = v.platform;
    if (platform && platform !== "controlroom" && platform !== "anypoint")
      throw new UsageError(`--platform must be controlroom or anypoint, not '${platform}'`, EXPORT_SPEC.name);
    const config = v.stack ? await stackConfig(v.stack, v.cwd ?? commandProjectRoot()) : () => undefined;
    const file = v.out;
    const result = await exportUsersYaml({
      previous: file,
      platforms: platform ? [platform as ExportPlatform] : ["controlroom", "anypoint"],
      config,
      progress: (m) => io.err(`export: ${m}\n`),
    });
    if (file) writeFileSync(file, result.text);
    else io.out(result.text);
    io.err(
      `export: ${result.people} people${file ? ` written to ${file}` : ""}` +
        `${result.leftOut ? `; ${result.leftOut} platform users left out (listed at the end of the file, with why)` : ""}\n`,
    );
    return 0;
  });
}
