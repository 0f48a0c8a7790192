// "Since when and by which change": the git history of users.yaml in a throwaway repository, on
// the main line, through a squash commit, a real merge commit and a commit that names no PR.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { person, removeTempRepos, tempDir, tempRepo, usersYaml } from "../support/git-repo";
import { grantId, type Grant } from "../../src/features/review/declared";
import { originKey, pullRequestOf, readHistory } from "../../src/features/review/history";

const cr = (name: string, kind: Grant["kind"] = "role"): string => grantId({ platform: "Control Room", businessGroup: "", kind, name });
const ap = (group: string, name: string): string => grantId({ platform: "Anypoint", businessGroup: group, kind: "role", name });

afterAll(removeTempRepos);

describe("review history", () => {
  it("three commits granting, changing and removing access give each holder's since, commit and pull request", () => {
    const repo = tempRepo();
    const adaAnypoint =
      "    anypoint:\n      username: ada.acme\n      businessGroups:\n        Sales:\n          roles: [Exchange Viewer]\n";
    const c1 = repo.commit(
      usersYaml(
        person("ada", `    controlRoom:\n      roles: [AAE_Admin]\n${adaAnypoint}`),
        person("grace", "    controlRoom:\n      roles: [Bot Runner]\n"),
      ),
      "Grant ada and grace access (#11)",
    );
    // A pull request merged with a merge commit: on the main line, the merge is the change.
    repo.git("checkout", "-q", "-b", "grace-dev");
    repo.commit(
      usersYaml(
        person("ada", `    controlRoom:\n      roles: [AAE_Admin]\n${adaAnypoint}`),
        person("grace", "    controlRoom:\n      roles: [Bot Runner, AAE_Bot Developer]\n      licenses: [DEVELOPMENT]\n"),
      ),
      "grace develops bots",
    );
    repo.git("checkout", "-q", "main");
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #12 from acme/grace-dev", "grace-dev");
    const c2 = repo.git("rev-parse", "HEAD");
    const c3 = repo.commit(
      usersYaml(
        person("ada", "    controlRoom:\n      roles: [AAE_Admin]\n"),
        person("grace", "    controlRoom:\n      roles: [Bot Runner, AAE_Bot Developer]\n      licenses: [DEVELOPMENT]\n"),
      ),
      "ada leaves Sales",
    );

    const h = readHistory(repo.file);
    const get = (key: string, id: string) => h.origins.get(originKey(key, id));
    expect(h.commits).toBe(3);
    expect(get("ada", cr("AAE_Admin"))).toEqual({ since: "2026-01-02T00:00:00Z", commit: c1, pr: 11 });
    expect(get("grace", cr("Bot Runner"))).toEqual({ since: "2026-01-02T00:00:00Z", commit: c1, pr: 11 });
    expect(get("grace", cr("AAE_Bot Developer"))).toEqual({ since: "2026-01-04T00:00:00Z", commit: c2, pr: 12 });
    expect(get("grace", cr("DEVELOPMENT", "license"))).toEqual({ since: "2026-01-04T00:00:00Z", commit: c2, pr: 12 });
    expect(get("ada", ap("Sales", "Exchange Viewer"))).toBeUndefined(); // removed by c3
    expect(c3).not.toBe(c2);
    expect(h.path).toBe("users.yaml");
  });

  it("a grant removed and given again starts a new run: since is the second grant", () => {
    const repo = tempRepo();
    repo.commit(usersYaml(person("bob", "    controlRoom:\n      roles: [AAE_Basic, Bot Runner]\n")), "bob (#1)");
    repo.commit(usersYaml(person("bob", "    controlRoom:\n      roles: [AAE_Basic]\n")), "bob loses Bot Runner (#2)");
    const again = repo.commit(usersYaml(person("bob", "    controlRoom:\n      roles: [AAE_Basic, Bot Runner]\n")), "bob runs bots again");
    const h = readHistory(repo.file);
    expect(h.origins.get(originKey("bob", cr("Bot Runner")))).toEqual({ since: "2026-01-04T00:00:00Z", commit: again });
    expect(h.origins.get(originKey("bob", cr("AAE_Basic")))).toMatchObject({ since: "2026-01-02T00:00:00Z", pr: 1 });
  });

  it("names the pull request of squash and merge commits only", () => {
    expect(pullRequestOf("Add ada (#123)")).toBe(123);
    expect(pullRequestOf("Merge pull request #45 from acme/x")).toBe(45);
    expect(pullRequestOf("Fix #7 in the docs")).toBeUndefined();
  });

  it("fails closed outside a git repository, saying what to do", () => {
    const dir = tempDir("rollcall-nogit-");
    writeFileSync(path.join(dir, "users.yaml"), usersYaml());
    expect(() => readHistory(path.join(dir, "users.yaml"))).toThrow(/not in a git repository.*fetch-depth: 0/);
  });
});
