// The docs hold what the code has: every setting the code reads is in docs/configuration.md and
// every setting there is read by the code; every key of users.yaml's JSON Schema is in
// docs/users-yaml.md; no local link in README.md or docs/ leads nowhere. And the pure helpers these
// checks and the runnable-docs test use, on small texts, so that each can fail.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/pulumi/engine/pulumi-cli";
import { anchorsOf, applyBlockDiff, brokenLocalLinks, codeBlocks, generatedSection, runnableBlocks } from "../../src/tools/docs/markdown";
import { settingsInCode, settingsInDocs } from "../../src/tools/docs/settings";

const read = (f: string) => readFileSync(f, "utf8");
const DOCS = path.join(PROJECT_ROOT, "docs");
const pages = [
  path.join(PROJECT_ROOT, "README.md"),
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith(".md"))
    .map((f) => path.join(DOCS, f)),
];

describe("docs/configuration.md and the code", () => {
  const code = settingsInCode(path.join(PROJECT_ROOT, "src"));
  const docs = settingsInDocs(read(path.join(DOCS, "configuration.md")));

  it("lists every setting the code reads, with its environment variable", () => {
    const missing = [...code.config].filter(([k]) => !docs.config.has(k)).map(([k]) => `rollcall:${k}`);
    expect(missing, "settings the code reads that docs/configuration.md does not list").toEqual([]);
    const wrongEnv = [...code.config].filter(([k, e]) => e && !docs.config.get(k)?.includes(e)).map(([k, e]) => `rollcall:${k} → ${e}`);
    expect(wrongEnv, "settings whose environment variable docs/configuration.md does not give").toEqual([]);
    expect(
      [...code.env].filter((e) => !docs.env.has(e)),
      "environment variables the code reads that docs/configuration.md does not list",
    ).toEqual([]);
  });

  it("lists nothing the code does not read", () => {
    expect([...docs.config.keys()].filter((k) => !code.config.has(k)).map((k) => `rollcall:${k}`)).toEqual([]);
    expect([...docs.env].filter((e) => !code.env.has(e))).toEqual([]);
  });

  it("finds settings in each form the code uses, and rows in the table's first two cells", () => {
    expect(code.config.get("offboarding")).toBe("ROLLCALL_OFFBOARDING"); // a key table
    expect(code.config.get("anypointTimeoutSeconds")).toBe("ROLLCALL_ANYPOINT_TIMEOUT_SECONDS"); // httpKeys
    expect(code.env.has("ROLLCALL_SDK_DEBUG")).toBe(true); // read on its own
    const rows = settingsInDocs(
      "| `rollcall:a`, `rollcall:b` | `ROLLCALL_A`, `ROLLCALL_B` | `rollcall:notAKey` in prose |\n| — | `ROLLCALL_C` | x |",
    );
    expect([...rows.config.keys()]).toEqual(["a", "b"]);
    expect([...rows.env]).toEqual(["ROLLCALL_A", "ROLLCALL_B", "ROLLCALL_C"]);
  });
});

/** Every property path of the schema: `users[].anypoint.businessGroups.*.roles`, … */
function schemaPaths(schema: Record<string, unknown>): string[] {
  const defs = (schema.$defs ?? schema.definitions ?? {}) as Record<string, Record<string, unknown>>;
  const out = new Set<string>();
  const walk = (node: Record<string, unknown> | undefined, at: string, seen: Set<string>) => {
    if (!node || typeof node !== "object") return;
    const ref = node.$ref as string | undefined;
    if (ref) {
      const name = ref.split("/").at(-1)!;
      if (!seen.has(name)) walk(defs[name], at, new Set([...seen, name]));
    }
    for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      const p = at ? `${at}.${k}` : k;
      out.add(p);
      walk(v, p, seen);
    }
    if (node.items && typeof node.items === "object") walk(node.items as Record<string, unknown>, `${at}[]`, seen);
    if (node.additionalProperties && typeof node.additionalProperties === "object")
      walk(node.additionalProperties as Record<string, unknown>, `${at}.*`, seen);
    for (const key of ["oneOf", "anyOf", "allOf"]) for (const v of (node[key] ?? []) as Record<string, unknown>[]) walk(v, at, seen);
  };
  walk(schema, "", new Set());
  return [...out].sort();
}

describe("docs/users-yaml.md and the JSON Schema", () => {
  const schema = JSON.parse(read(path.join(PROJECT_ROOT, "schema/users.schema.json")));
  const paths = schemaPaths(schema);
  const page = read(path.join(DOCS, "users-yaml.md"));
  const documented = new Set([...page.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!));

  it("has a row for every key of the schema, and none the schema does not have", () => {
    expect(paths.length).toBeGreaterThan(15);
    expect(
      paths.filter((p) => !documented.has(p)),
      "schema keys missing from docs/users-yaml.md's key table",
    ).toEqual([]);
    expect(
      [...documented].filter((p) => !paths.includes(p)),
      "keys in docs/users-yaml.md the schema does not have",
    ).toEqual([]);
  });

  it("walks references, arrays and maps", () => {
    const s = {
      $defs: { p: { properties: { key: {}, tags: { type: "object", additionalProperties: { properties: { on: {} } } } } } },
      properties: { users: { items: { $ref: "#/$defs/p" } } },
    };
    expect(schemaPaths(s)).toEqual(["users", "users[].key", "users[].tags", "users[].tags.*.on"]);
  });
});

describe("links", () => {
  it("no local link or anchor in README.md or docs/ leads nowhere", () => {
    const problems = pages.flatMap((f) =>
      brokenLocalLinks(read(f), f, read).map((p) => `${path.relative(PROJECT_ROOT, f)}:${p.line} ${p.link}: ${p.message}`),
    );
    expect(problems).toEqual([]);
  });

  it("finds a missing file and a missing anchor, and follows GitHub's anchors", () => {
    const file = path.join(PROJECT_ROOT, "README.md");
    const text = "[a](docs/nope.md) [b](#no-such) [c](https://example.com/x) [d](docs/safety.md) `[e](nope.md)`";
    expect(brokenLocalLinks(text, file, read).map((p) => p.link)).toEqual(["docs/nope.md", "#no-such"]);
    expect([...anchorsOf("# Identity: adopt only the same person\n## `rollcall up` (one failure)\n## A\n## A")]).toEqual([
      "identity-adopt-only-the-same-person",
      "rollcall-up-one-failure",
      "a",
      "a-1",
    ]);
  });
});

describe("the runnable-docs helpers", () => {
  it("reads fenced blocks with their info string", () => {
    const md = "x\n```sh runnable\nnpx rollcall init\n```\n```yaml\na: 1\n```\n```diff runnable file=users.yaml\n-a\n+b\n```\n";
    expect(codeBlocks(md).map((b) => [b.lang, b.attrs.join(" "), b.line])).toEqual([
      ["sh", "runnable", 2],
      ["yaml", "", 5],
      ["diff", "runnable file=users.yaml", 8],
    ]);
    expect(runnableBlocks(md).map((b) => b.text)).toEqual(["npx rollcall init", "-a\n+b"]);
  });

  it("applies a diff's hunks where their context is, once, and refuses an ambiguous or missing one", () => {
    expect(applyBlockDiff("a\nb\nc\nd", " a\n-b\n+B\n@@\n-d\n+D\n+E")).toBe("a\nB\nc\nD\nE");
    expect(() => applyBlockDiff("a\nb\na\nb", " a\n-b")).toThrow(/appear 2 times/);
    expect(() => applyBlockDiff("a", "-z")).toThrow(/appear 0 times/);
  });

  it("finds a generated section between its markers", () => {
    const s = generatedSection("x\n<!-- c:begin (note) -->\nbody\n<!-- c:end -->\n", "c");
    expect(s?.text).toBe("body\n");
  });
});

describe("README.md", () => {
  it("stays a README: at most 200 lines, the quick start's two commands as they are", () => {
    const readme = read(path.join(PROJECT_ROOT, "README.md"));
    expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(200);
    // .ci/run and the quick start rely on these two targets.
    expect(codeBlocks(readme).some((b) => /^make demo\b/m.test(b.text) && /^make test\b/m.test(b.text))).toBe(true);
  });
});
