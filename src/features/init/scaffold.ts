// `rollcall init [DIR]`: scaffolds a team's membership repository that depends on the installed
// rollcall package instead of forking it — users.yaml, Pulumi.yaml, stacks/, the workflows,
// .gitignore and a package.json pinning this exact version. Idempotent: a file that exists is
// never overwritten (a team's users.yaml is its data); each one skipped is named.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface InitIo {
  out: (line: string) => void;
}

export interface ScaffoldFile {
  /** Path inside the scaffolded repository. */
  path: string;
  text: string;
}

/** The package's own `$schema` line in users.yaml, and where it points from a team repository. */
const SCHEMA_HERE = "$schema=./schema/users.schema.json";

/** Every file `init` writes, read from the installed package at `packageRoot` (pure but for reads). */
export function scaffoldFiles(packageRoot: string, repoName: string): ScaffoldFile[] {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { name: string; version: string };
  const installed = `node_modules/${pkg.name}`;
  const files: ScaffoldFile[] = [];
  const users = readFileSync(path.join(packageRoot, "users.yaml"), "utf8");
  if (!users.includes(SCHEMA_HERE))
    throw new Error(`${path.join(packageRoot, "users.yaml")}: no '${SCHEMA_HERE}' line to point at the package`);
  files.push({ path: "users.yaml", text: users.replace(SCHEMA_HERE, `$schema=./${installed}/schema/users.schema.json`) });
  files.push({
    path: "Pulumi.yaml",
    text: [
      // The project name is part of every resource's URN: "rollcall", as in a fork, so a fork's
      // stacks move here by `rollcall migrate-state` without replacing anyone.
      "name: rollcall",
      "description: Who has access, reconciled by rollcall; the program is the installed package's (package.json main)",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: false",
      "stackConfigDir: stacks",
      "",
    ].join("\n"),
  });
  files.push({
    path: "package.json",
    text:
      JSON.stringify(
        {
          name: repoName,
          private: true,
          description: "Membership as code: this organization's people, applied by rollcall",
          // Pulumi runs the program the project's package.json names: the installed package's.
          main: `${installed}/dist/program/index.js`,
          dependencies: { [pkg.name]: pkg.version },
        },
        null,
        2,
      ) + "\n",
  });
  for (const name of readdirSync(path.join(packageRoot, "stacks")).sort())
    if (name.includes(".example."))
      files.push({ path: `stacks/${name}`, text: readFileSync(path.join(packageRoot, "stacks", name), "utf8") });
  const workflows = path.join(packageRoot, ".github/workflows");
  for (const name of existsSync(workflows) ? readdirSync(workflows).sort() : [])
    if (name.endsWith(".yml"))
      // A team repository has no Makefile: its set-up is npm ci (the Pulumi CLI comes from pulumi/actions).
      files.push({
        path: `.github/workflows/${name}`,
        text: readFileSync(path.join(workflows, name), "utf8").replace(/run: make setup$/gm, "run: npm ci"),
      });
  files.push({
    path: ".gitignore",
    text: ["/node_modules/", "/.rollcall/", "/.pulumi/", "*.log", ""].join("\n"),
  });
  return files;
}

/** Writes the scaffold into `dir`, never overwriting; returns how many files it wrote. */
export function runInit(dir: string, packageRoot: string, io: InitIo): number {
  const target = path.resolve(dir);
  let written = 0;
  for (const file of scaffoldFiles(
    packageRoot,
    path
      .basename(target)
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, "-") || "membership",
  )) {
    const at = path.join(target, file.path);
    if (existsSync(at)) {
      io.out(`skipped ${file.path} (exists; left as it is)`);
      continue;
    }
    mkdirSync(path.dirname(at), { recursive: true });
    writeFileSync(at, file.text, { flag: "wx" });
    io.out(`wrote ${file.path}`);
    written++;
  }
  io.out(written ? `${target}: next, npm install, then npx rollcall validate` : `${target}: already scaffolded; nothing written`);
  return written;
}
