// The one argument parser of every rollcall command and benchmark: node:util parseArgs in strict
// mode, so a misspelled flag (`--markdwn`) or a flag without its value stops the command with exit
// status 2 and its name, instead of being ignored and giving a different result than asked for.
import { parseArgs } from "node:util";
import { closestNames } from "../core/model/suggest";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** The value's placeholder in the help, e.g. "NAME" (string options). */
  value?: string;
  help: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** How the command is invoked, e.g. "rollcall preview". */
  name: string;
  /** One line: what it does. */
  summary: string;
  options: O;
  /** Positional arguments, e.g. ["[FILE]"]; their count is the most accepted. */
  positionals?: string[];
  /** Accepts `-- ARGS`, handed over untouched (e.g. engine flags for `rollcall up`). */
  passThrough?: string;
}

export type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string };

export interface Parsed<O extends Record<string, OptionSpec>> {
  values: Values<O>;
  positionals: string[];
  /** What followed `--` (only with `passThrough`). */
  rest: string[];
}

/** A command line that does not say what the command needs: exit status 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}

/** Asked for help: print `text` on stdout, exit 0. */
export class HelpRequested {
  constructor(readonly text: string) {}
}

const flagOf = (name: string, o: OptionSpec) => `--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;

/** One line of synopsis: `rollcall preview [--stack NAME] [--markdown] [FILE]`. */
export function synopsis(spec: CommandSpec): string {
  const parts = [spec.name, ...Object.entries(spec.options).map(([n, o]) => `[${flagOf(n, o)}]`), ...(spec.positionals ?? [])];
  if (spec.passThrough) parts.push(`[-- ${spec.passThrough}]`);
  return parts.join(" ");
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([n, o]) => [`${o.short ? `-${o.short}, ` : ""}${flagOf(n, o)}`, o.help] as const);
  rows.push(["-h, --help", "print this help"]);
  const width = Math.max(...rows.map(([f]) => f.length));
  return [`usage: ${synopsis(spec)}`, "", spec.summary, "", "options:", ...rows.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`), ""].join(
    "\n",
  );
}

/**
 * Parses `argv` (the arguments after the command) against `spec`. Returns a HelpRequested for
 * -h/--help anywhere before `--`; throws a UsageError for an unknown option, an option missing its
 * value, or a positional argument too many.
 */
export function parseCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, argv: string[]): Parsed<O> | HelpRequested {
  const cut = spec.passThrough ? argv.indexOf("--") : -1;
  const args = cut >= 0 ? argv.slice(0, cut) : argv;
  const rest = cut >= 0 ? argv.slice(cut + 1) : [];
  if (args.includes("--help") || args.includes("-h")) return new HelpRequested(helpText(spec));
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([n, o]) => [n, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  );
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(explain(err as Error & { code?: string }, spec), spec.name);
  }
  const max = spec.positionals?.length ?? 0;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals
      .slice(max)
      .map((p) => `'${p}'`)
      .join(", ");
    throw new UsageError(
      `unexpected argument ${extra} (${max ? `it takes at most ${spec.positionals!.join(" ")}` : "it takes no arguments"})`,
      spec.name,
    );
  }
  return { values: parsed.values as Values<O>, positionals: parsed.positionals, rest };
}

/** parseArgs' error, said with the option's name and, for a misspelling, the likely one. */
function explain(err: Error & { code?: string }, spec: CommandSpec): string {
  const option = /'(-[^' ]*)/.exec(err.message)?.[1];
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    const known = Object.keys(spec.options).map((n) => `--${n}`);
    const close = closestNames(option, known, 1);
    return `unknown option '${option}'${close.length ? ` (did you mean ${close[0]}?)` : ""}`;
  }
  if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    const o = spec.options[option.replace(/^--?/, "")] ?? Object.values(spec.options).find((x) => x.short === option.replace(/^-/, ""));
    return o?.type === "boolean"
      ? `option '${option}' takes no value`
      : `option '${option}' needs a value (${flagOf(option.replace(/^--?/, ""), o ?? { type: "string", help: "" })})`;
  }
  return err.message;
}

/** A required string option: its value, or a UsageError naming it. */
export function required(spec: CommandSpec, values: Record<string, unknown>, name: string, why: string): string {
  const v = values[name];
  if (typeof v !== "string" || v === "")
    throw new UsageError(`missing --${name} ${spec.options[name]?.value ?? "VALUE"} (${why})`, spec.name);
  return v;
}

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/**
 * Runs a command's body with its parsed arguments: help on stdout (0), a usage error on stderr (2),
 * otherwise what `body` returns. Any other error propagates (the caller prints it, exit 1).
 */
export async function runCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: string[],
  io: CliIo,
  body: (p: Parsed<O>) => Promise<number> | number,
): Promise<number> {
  try {
    const p = parseCommand(spec, argv);
    if (p instanceof HelpRequested) {
      io.out(p.text);
      return 0;
    }
    return await body(p);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(usageErrorText(err));
    return 2;
  }
}

export const usageErrorText = (err: UsageError) => `${err.command}: ${err.message}\nrun '${err.command} --help' for its usage\n`;

/** A script's entry point (the benchmarks): parses process.argv against `spec`, runs `body`, sets the exit status. */
export function runScript<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  body: (p: Parsed<O>) => Promise<number> | number,
): void {
  runCommand(spec, process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }, body).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
