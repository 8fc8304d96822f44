import { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { AppError } from '../../../http/app-error.js';

/** What this server reads of GitHub's answers: parsed, never cast. */
const labelSchema = z.union([z.string(), z.object({ name: z.string().nullish() })]);
const userSchema = z.object({ login: z.string() }).nullish();

export const githubIssueSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.string(),
  state_reason: z.string().nullish(),
  html_url: z.string(),
  labels: z.array(labelSchema).default([]),
  assignees: z.array(z.object({ login: z.string() })).nullish(),
  pull_request: z.unknown().optional(),
});
export type GithubIssue = z.infer<typeof githubIssueSchema>;

export const githubCommentSchema = z.object({
  id: z.number().int(),
  body: z.string().nullish(),
  user: userSchema,
  html_url: z.string(),
  issue_url: z.string(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
export type GithubComment = z.infer<typeof githubCommentSchema>;

export const githubPullSchema = z.object({
  number: z.number().int(),
  html_url: z.string(),
  state: z.string(),
  merged: z.boolean().nullish(),
  merged_at: z.string().nullish(),
  head: z.object({ ref: z.string() }).optional(),
});
export type GithubPull = z.infer<typeof githubPullSchema>;

const searchSchema = z.object({
  total_count: z.number().int(),
  items: z.array(z.object({ path: z.string(), sha: z.string(), html_url: z.string() })),
});
const contentSchema = z.object({
  type: z.string(),
  path: z.string(),
  sha: z.string(),
  size: z.number().int(),
  content: z.string().optional(),
  encoding: z.string().optional(),
});
const repositorySchema = z.object({ default_branch: z.string() });
const statusSchema = z.object({ status: z.number().int() });

/** The label names of an issue, however GitHub spelled them. */
export function labelNames(issue: GithubIssue): string[] {
  return issue.labels.flatMap((label) => (typeof label === 'string' ? [label] : label.name ? [label.name] : []));
}

/** The issue number at the end of a comment's issue_url. */
export function issueNumberOf(comment: GithubComment): number | null {
  const match = /\/issues\/(\d+)$/.exec(comment.issue_url);
  return match ? Number(match[1]) : null;
}

/** A conditional GET's answer: the body and its ETag, or notModified when GitHub answered 304. */
export type Conditional<Body> = { notModified: true } | { notModified: false; etag: string | null; body: Body };

function statusOf(error: unknown): number | null {
  const parsed = statusSchema.safeParse(error);
  return parsed.success ? parsed.data.status : null;
}

/** GitHub's refusal, as the API reports it: the status, never the request (which carries the token). */
function requestFailed(what: string, error: unknown): AppError {
  const status = statusOf(error);
  return new AppError(
    'GITHUB_REQUEST_FAILED',
    status
      ? `GitHub answered ${status} to ${what}. Check that the token may read and write this repository's issues and pull requests.`
      : `GitHub could not be reached for ${what}. Check MISSION_GITHUB_API_URL and the network.`,
    { status },
  );
}

const silentLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export type GithubClient = ReturnType<typeof createGithubClient>;

/**
 * The GitHub REST calls this server makes, over `@octokit/rest`, for one repository and token.
 * Octokit's own logging is silenced so nothing about a request (and so the token) reaches a log.
 */
export function createGithubClient(options: { baseUrl: string; token: string; owner: string; repo: string }) {
  const octokit = new Octokit({ auth: options.token, baseUrl: options.baseUrl, log: silentLog, userAgent: 'mission-control' });
  const repository = { owner: options.owner, repo: options.repo };

  async function call<Body>(what: string, schema: z.ZodType<Body>, run: () => Promise<{ data: unknown }>): Promise<Body> {
    let answer: { data: unknown };
    try {
      answer = await run();
    } catch (error) {
      throw requestFailed(what, error);
    }
    const parsed = schema.safeParse(answer.data);
    if (!parsed.success) throw new AppError('GITHUB_REQUEST_FAILED', `GitHub's answer to ${what} is not what this server expects.`);
    return parsed.data;
  }

  async function conditional<Body>(
    what: string,
    schema: z.ZodType<Body>,
    etag: string | null,
    run: (headers: Record<string, string>) => Promise<{ data: unknown; headers: { etag?: string | undefined } }>,
  ): Promise<Conditional<Body>> {
    let answer: { data: unknown; headers: { etag?: string | undefined } };
    try {
      answer = await run(etag ? { 'if-none-match': etag } : {});
    } catch (error) {
      if (statusOf(error) === 304) return { notModified: true };
      throw requestFailed(what, error);
    }
    const parsed = schema.safeParse(answer.data);
    if (!parsed.success) throw new AppError('GITHUB_REQUEST_FAILED', `GitHub's answer to ${what} is not what this server expects.`);
    return { notModified: false, etag: answer.headers.etag ?? null, body: parsed.data };
  }

  return {
    /** Issues carrying the label, open and closed, most recently updated first. */
    listLabelledIssues(label: string, etag: string | null) {
      return conditional('the issue listing', z.array(githubIssueSchema), etag, (headers) =>
        octokit.rest.issues.listForRepo({ ...repository, labels: label, state: 'all', sort: 'updated', per_page: 100, headers }),
      );
    },
    getIssue(issueNumber: number) {
      return call(`issue #${issueNumber}`, githubIssueSchema, () => octokit.rest.issues.get({ ...repository, issue_number: issueNumber }));
    },
    /** Comments on every issue of the repository, oldest first, since a time. */
    listCommentsSince(since: string | null, etag: string | null) {
      return conditional('the comment listing', z.array(githubCommentSchema), etag, (headers) =>
        octokit.rest.issues.listCommentsForRepo({
          ...repository,
          sort: 'created',
          direction: 'asc',
          per_page: 100,
          ...(since ? { since } : {}),
          headers,
        }),
      );
    },
    createComment(issueNumber: number, body: string) {
      return call(`a comment on #${issueNumber}`, githubCommentSchema, () =>
        octokit.rest.issues.createComment({ ...repository, issue_number: issueNumber, body }),
      );
    },
    setIssueState(issueNumber: number, state: 'open' | 'closed', reason: 'completed' | 'not_planned' | 'reopened') {
      return call(`closing or reopening #${issueNumber}`, githubIssueSchema, () =>
        octokit.rest.issues.update({ ...repository, issue_number: issueNumber, state, state_reason: reason }),
      );
    },
    async defaultBranch(): Promise<string> {
      return (await call('the repository', repositorySchema, () => octokit.rest.repos.get(repository))).default_branch;
    },
    createPull(input: { head: string; base: string; title: string; body: string }) {
      return call(`a pull request from ${input.head}`, githubPullSchema, () => octokit.rest.pulls.create({ ...repository, ...input }));
    },
    getPull(pullNumber: number, etag: string | null) {
      return conditional(`pull request #${pullNumber}`, githubPullSchema, etag, (headers) =>
        octokit.rest.pulls.get({ ...repository, pull_number: pullNumber, headers }),
      );
    },
    searchCode(query: string, limit: number) {
      return call('a code search', searchSchema, () =>
        octokit.rest.search.code({ q: `${query} repo:${options.owner}/${options.repo}`, per_page: limit }),
      );
    },
    /** A file's content, or null when nothing (or not a file) is at that path. */
    async readFile(path: string, ref: string | undefined) {
      try {
        const answer = await octokit.rest.repos.getContent({ ...repository, path, ...(ref ? { ref } : {}) });
        const parsed = contentSchema.safeParse(answer.data);
        return parsed.success && parsed.data.type === 'file' ? parsed.data : null;
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw requestFailed(`the file ${path}`, error);
      }
    },
  };
}
