// What the docs tests read out of Markdown: fenced code blocks with their info string and line,
// local links, and generated sections between markers. Pure functions on the text.
import { existsSync } from "node:fs";
import path from "node:path";

export interface CodeBlock {
  /** The language word of the info string: sh, diff, yaml, … */
  lang: string;
  /** The other words of the info string, e.g. ["runnable", "file=users.yaml"]. */
  attrs: string[];
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { fence: string; lang: string; attrs: string[]; line: number; lines: string[] } | undefined;
  markdown.split("\n").forEach((raw, i) => {
    if (!open) {
      const m = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(raw);
      if (m) open = { fence: m[2]!, lang: m[3] ?? "", attrs: (m[4] ?? "").split(/\s+/).filter(Boolean), line: i + 1, lines: [] };
      return;
    }
    if (raw.trim().startsWith(open.fence) && raw.trim().replace(/[`~]/g, "") === "") {
      blocks.push({ lang: open.lang, attrs: open.attrs, text: open.lines.join("\n"), line: open.line });
      open = undefined;
      return;
    }
    open.lines.push(raw);
  });
  if (open) throw new Error(`line ${open.line}: a code block that never closes`);
  return blocks;
}

/** The blocks a test runs: ```sh runnable and ```diff runnable file=PATH. */
export function runnableBlocks(markdown: string): CodeBlock[] {
  return codeBlocks(markdown).filter((b) => b.attrs.includes("runnable"));
}

/** The value of `name=value` in a block's info string. */
export function blockAttr(block: CodeBlock, name: string): string | undefined {
  return block.attrs.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

export interface LinkProblem {
  line: number;
  link: string;
  message: string;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inCode = false;
  for (const raw of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(raw)) inCode = !inCode;
    const m = !inCode && /^#{1,6}\s+(.*)$/.exec(raw);
    if (!m) continue;
    let anchor = headingAnchor(m[1]!);
    for (let n = 1; anchors.has(anchor); n++) anchor = `${headingAnchor(m[1]!)}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/**
 * Local links of a Markdown file at `file` that lead nowhere: a path that does not exist, or an
 * #anchor no heading of the target has. Links to the web are not followed (no network in tests).
 */
export function brokenLocalLinks(markdown: string, file: string, read: (file: string) => string): LinkProblem[] {
  const problems: LinkProblem[] = [];
  let inCode = false;
  markdown.split("\n").forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) inCode = !inCode;
    if (inCode) return;
    for (const m of raw.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const link = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue;
      const [target, anchor] = link.split("#") as [string, string | undefined];
      const resolved = target ? path.resolve(path.dirname(file), decodeURIComponent(target)) : file;
      if (!existsSync(resolved)) {
        problems.push({ line: i + 1, link, message: `${path.relative(path.dirname(file), resolved)} does not exist` });
        continue;
      }
      if (anchor && resolved.endsWith(".md") && !anchorsOf(read(resolved)).has(anchor))
        problems.push({ line: i + 1, link, message: `no heading with anchor #${anchor} in ${path.basename(resolved)}` });
    }
  });
  return problems;
}

/** The text between `<!-- NAME:begin … -->` and `<!-- NAME:end -->`, with the offsets to replace it. */
export function generatedSection(markdown: string, name: string): { text: string; start: number; end: number } | undefined {
  const begin = new RegExp(`<!-- ${name}:begin[^>]*-->\\n`).exec(markdown);
  if (!begin) return undefined;
  const start = begin.index + begin[0].length;
  const end = markdown.indexOf(`<!-- ${name}:end -->`, start);
  if (end < 0) return undefined;
  return { text: markdown.slice(start, end), start, end };
}

/**
 * Applies a ```diff runnable block to a file's text. Each hunk (hunks are separated by a line
 * starting with "@@") is lines starting with " " (context), "-" and "+"; its context and "-" lines
 * must appear in the file, in that order, exactly once, and become its context and "+" lines. No
 * line numbers: the reader sees the change, the test applies exactly it.
 */
export function applyBlockDiff(text: string, diff: string): string {
  const hunks: string[][] = [[]];
  for (const line of diff.split("\n")) {
    if (line.startsWith("@@")) hunks.push([]);
    else if (line !== "") hunks.at(-1)!.push(line);
  }
  let result = text;
  for (const lines of hunks.filter((h) => h.length > 0)) {
    const bad = lines.find((l) => !/^[ +-]/.test(l));
    if (bad !== undefined) throw new Error(`diff line '${bad}': start each line with ' ', '-' or '+'`);
    const before = lines.filter((l) => !l.startsWith("+")).map((l) => l.slice(1));
    const after = lines.filter((l) => !l.startsWith("-")).map((l) => l.slice(1));
    const fileLines = result.split("\n");
    const at: number[] = [];
    for (let i = 0; i + before.length <= fileLines.length; i++) if (before.every((l, j) => fileLines[i + j] === l)) at.push(i);
    if (at.length !== 1)
      throw new Error(`the diff's context and removed lines appear ${at.length} times in the file, not once:\n${before.join("\n")}`);
    fileLines.splice(at[0]!, before.length, ...after);
    result = fileLines.join("\n");
  }
  return result;
}
