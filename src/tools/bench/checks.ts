// What the scale benchmark checks besides time and memory: that the safety guard and the
// pull-request report still hold at N people (issue #13: "the safety guards and reports must hold
// at 5,000 people"). Each returns figures for the benchmark's row; the benchmark fails when one
// says the behaviour did not hold.
import type { CommandResult, PreviewDigest } from "../../pulumi/engine/pulumi-cli";
import { fullReport } from "../../features/report/command";
import { commentBudget, defaultHeader } from "../../features/report/comment";
import { buildReport } from "../../features/report/report";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../features/report/render";
import { mutatingRequests, type RecordedRequest } from "../../sim/harness";

export interface CheckResult {
  figures: Record<string, number>;
  /** Why the behaviour did not hold; undefined when it did. */
  failure?: string;
}

/** Looks at one command's result and the requests it sent. */
export type Check = (r: CommandResult, requests: RecordedRequest[]) => CheckResult;

/** A removal over the default limits: the preview must fail on the guard and send nothing that changes a platform. */
export function guardRefused(r: CommandResult, requests: RecordedRequest[]): CheckResult {
  const out = `${r.stdout}${r.stderr}`;
  const guardMessages = (out.match(/would lose it/g) ?? []).length;
  const writes = mutatingRequests(requests).length;
  const figures = { refused: r.code !== 0 && guardMessages > 0 ? 1 : 0, guardMessages, writes };
  if (!figures.refused)
    return { figures, failure: `the removal guard did not refuse the preview (exit ${r.code}, ${guardMessages} guard messages)` };
  if (writes) return { figures, failure: `a refused preview sent ${writes} mutating requests` };
  return { figures };
}

/** The report of a removal preview (`pulumi preview --json`): within GitHub's comment limit, naming every person who loses access. */
export function reportHolds(r: CommandResult, removed: number): CheckResult {
  let digest: PreviewDigest;
  try {
    digest = JSON.parse(r.stdout) as PreviewDigest;
  } catch {
    return { figures: {}, failure: `pulumi preview --json did not print JSON (exit ${r.code})` };
  }
  const report = buildReport(digest, { stack: "bench" });
  const budget = commentBudget(defaultHeader("bench"));
  const markdown = renderMarkdown(report, { limit: budget });
  const removedLine = /\*\*Access will be REMOVED\*\* for (\d+) people/.exec(markdown);
  // The comment caps its banner; everyone it leaves out is named in the job summary it links to.
  const listed = new Set([markdown, fullReport(report, {})].flatMap((md) => [...md.matchAll(/^> - \*\*([^*]+)\*\*/gm)].map((m) => m[1]!)));
  const figures = {
    reportChars: markdown.length,
    limitChars: GITHUB_COMMENT_LIMIT,
    peopleRemovedInReport: Number(removedLine?.[1] ?? 0),
    peopleListed: listed.size,
  };
  if (r.code !== 0) return { figures, failure: `the removal preview failed (exit ${r.code})` };
  if (figures.reportChars > budget)
    return {
      figures,
      failure:
        `the report has ${figures.reportChars} characters, over the ${budget} left by GitHub's ${GITHUB_COMMENT_LIMIT} once the ` +
        `comment action adds its header`,
    };
  if (figures.peopleRemovedInReport !== removed || figures.peopleListed < removed)
    return {
      figures,
      failure: `the report names ${figures.peopleRemovedInReport} people losing access (${figures.peopleListed} listed), not ${removed}`,
    };
  return { figures };
}
