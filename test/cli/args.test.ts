// The shared argument parser (src/core/cli-args.ts): strict flags, help, usage errors naming the flag.
import { describe, expect, it } from "vitest";
import { HelpRequested, helpText, parseCommand, required, runCommand, UsageError, type CommandSpec } from "../../src/core/cli-args";

const SPEC = {
  name: "rollcall thing",
  summary: "Does the thing.",
  options: {
    stack: { type: "string", value: "NAME", help: "the stack" },
    markdown: { type: "boolean", help: "as Markdown" },
  },
  positionals: ["[FILE]"],
  passThrough: "ENGINE-FLAGS",
} satisfies CommandSpec;

const usageError = (argv: string[]) => {
  try {
    parseCommand(SPEC, argv);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`no usage error for ${argv.join(" ")}`);
};

describe("parseCommand", () => {
  it("returns typed values, positionals and what follows --", () => {
    expect(parseCommand(SPEC, ["--stack", "prod", "--markdown", "f.json", "--", "--plan", "p.json"])).toEqual({
      values: { stack: "prod", markdown: true },
      positionals: ["f.json"],
      rest: ["--plan", "p.json"],
    });
    expect(parseCommand(SPEC, ["--stack=prod"])).toEqual({ values: { stack: "prod" }, positionals: [], rest: [] });
  });

  it("refuses an unknown flag by its name, with the likely one", () => {
    expect(usageError(["--stack", "p", "--markdwn"])).toBe("unknown option '--markdwn' (did you mean --markdown?)");
    expect(usageError(["--zzz"])).toBe("unknown option '--zzz'");
  });

  it("refuses a flag missing its value, also when the next word is a flag", () => {
    expect(usageError(["--stack"])).toBe("option '--stack' needs a value (--stack NAME)");
    expect(usageError(["--stack", "--markdown"])).toBe("option '--stack' needs a value (--stack NAME)");
    expect(usageError(["--markdown=yes"])).toBe("option '--markdown' takes no value");
  });

  it("refuses a positional argument too many", () => {
    expect(usageError(["a.json", "b.json"])).toBe("unexpected argument 'b.json' (it takes at most [FILE])");
  });

  it("hands -- over only to a command that takes it; elsewhere what follows is positional", () => {
    const { passThrough: _, ...noRest } = SPEC;
    expect(parseCommand(noRest, ["--", "-odd-name.json"])).toEqual({ values: {}, positionals: ["-odd-name.json"], rest: [] });
    expect(() => parseCommand(noRest, ["--", "--plan", "p.json"])).toThrow("unexpected argument 'p.json'");
  });

  it("answers --help and -h with the help, before checking anything else", () => {
    expect(parseCommand(SPEC, ["--bogus", "--help"])).toEqual(new HelpRequested(helpText(SPEC)));
    expect(parseCommand(SPEC, ["-h"])).toBeInstanceOf(HelpRequested);
    expect(parseCommand(SPEC, ["--", "--help"])).not.toBeInstanceOf(HelpRequested);
  });

  it("renders the help with every option", () => {
    expect(helpText(SPEC)).toBe(
      [
        "usage: rollcall thing [--stack NAME] [--markdown] [FILE] [-- ENGINE-FLAGS]",
        "",
        "Does the thing.",
        "",
        "options:",
        "  --stack NAME  the stack",
        "  --markdown    as Markdown",
        "  -h, --help    print this help",
        "",
      ].join("\n"),
    );
  });
});

describe("runCommand", () => {
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCommand(
      SPEC,
      argv,
      { out: (s) => out.push(s), err: (s) => err.push(s) },
      ({ values }) => (required(SPEC, values, "stack", "which one"), 0),
    );
    return { code, out: out.join(""), err: err.join("") };
  };

  it("prints the help on stdout and exits 0", async () => {
    expect(await run(["--help"])).toEqual({ code: 0, out: helpText(SPEC), err: "" });
  });

  it("prints a usage error on stderr and exits 2", async () => {
    expect(await run(["--stak", "p"])).toEqual({
      code: 2,
      out: "",
      err: "rollcall thing: unknown option '--stak' (did you mean --stack?)\nrun 'rollcall thing --help' for its usage\n",
    });
    expect(await run([])).toEqual({
      code: 2,
      out: "",
      err: "rollcall thing: missing --stack NAME (which one)\nrun 'rollcall thing --help' for its usage\n",
    });
  });

  it("runs the body otherwise", async () => {
    expect(await run(["--stack", "p"])).toEqual({ code: 0, out: "", err: "" });
  });
});
