// Problems found in users.yaml, and how they read: `users.yaml:12:7 users[3].email: what. hint.`
export interface Problem {
  file: string;
  line: number;
  column: number;
  /** Where in the document, e.g. users[3].anypoint.businessGroups.Sales.roles[0]; "" for the whole file. */
  path: string;
  message: string;
  /** What to do about it. */
  hint?: string;
}

export function formatProblem(p: Problem): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  const sentence = (s: string) => (/[.?!]$/.test(s) ? s : `${s}.`);
  return `${where}${p.path ? ` ${p.path}` : ""}: ${sentence(p.message)}${p.hint ? ` ${sentence(p.hint)}` : ""}`;
}

/** Thrown by the loader: every problem at once, so one fix-and-retry round is enough. */
export class UsersFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was sent to any platform.\n` +
        sorted.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
    this.name = "UsersFileError";
  }
}

/** `["users", 3, "email"]` → `users[3].email`. */
export function displayPath(path: readonly (string | number)[]): string {
  return path
    .map((seg, i) =>
      typeof seg === "number"
        ? `[${seg}]`
        : /^[A-Za-z_][\w]*$/.test(seg)
          ? `${i ? "." : ""}${seg}`
          : `${i ? "." : ""}${JSON.stringify(seg)}`,
    )
    .join("");
}
