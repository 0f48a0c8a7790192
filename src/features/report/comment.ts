// The pull-request comment's envelope: the size budget left by the sticky-comment action's own
// header, the footer's facts from the GitHub Actions environment, and the body that marks an
// earlier comment stale when the latest run failed before replacing it. Pure.
import { GITHUB_COMMENT_LIMIT, type Footer } from "./render";

/**
 * marocchino/sticky-pull-request-comment appends "\n" and this marker to the body it posts
 * (bodyWithHeader in https://github.com/marocchino/sticky-pull-request-comment/blob/main/src/comment.ts),
 * so the body must leave room for both under GitHub's limit.
 */
export const stickyHeader = (header: string) => `<!-- Sticky Pull Request Comment${header} -->`;

/** The longest body that, with the action's "\n" + header, stays under GITHUB_COMMENT_LIMIT. */
export function commentBudget(header: string): number {
  return GITHUB_COMMENT_LIMIT - 1 - `\n${stickyHeader(header)}`.length;
}

/** The header the workflows give the action for a stack (one comment per stack). */
export const defaultHeader = (stack: string) => `rollcall-${stack}`;

/** The footer's facts: GitHub Actions' default environment variables, or flags. */
export function footerFromEnv(env: NodeJS.ProcessEnv, version: string, commit?: string): Footer {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return {
    version,
    ...((commit ?? env.GITHUB_SHA) ? { commit: commit ?? env.GITHUB_SHA } : {}),
    ...(server && repo && run ? { runUrl: `${server}/${repo}/actions/runs/${run}` } : {}),
  };
}

/** What a workflow posts when its preview failed before it could replace the comment. */
export function staleComment(stack: string | undefined, footer: Footer): string {
  const commit = footer.commit ? ` (commit \`${footer.commit.slice(0, 12)}\`)` : "";
  const run = footer.runUrl ? `: see [the run](${footer.runUrl})` : "";
  return [
    `<!-- rollcall:stale${stack ? ` stack=${stack}` : ""} -->`,
    "> [!WARNING]",
    `> **This rollcall report is out of date.** The latest preview${stack ? ` of \`${stack}\`` : ""}${commit} failed before it ` +
      `could replace it${run}.`,
    "> Any report in this comment is from an earlier commit: don't approve on it. Fix the run and re-run it.",
    "",
  ].join("\n");
}
