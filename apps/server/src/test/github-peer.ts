import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** One request the peer got: enough to tell what was asked and with which credential. */
export interface GithubPeerRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  ifNoneMatch: string | undefined;
  status: number;
  body: string;
}

export interface PeerIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: { name: string }[];
  assignees: { login: string }[];
  html_url: string;
  updated_at: string;
}

export interface PeerComment {
  id: number;
  issueNumber: number;
  body: string;
  user: { login: string };
  created_at: string;
  updated_at: string;
}

export interface PeerPull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  merged_at: string | null;
}

export interface GithubPeer {
  /** The API's base URL, for MISSION_GITHUB_API_URL. */
  url: string;
  requests: GithubPeerRequest[];
  issues: Map<number, PeerIssue>;
  comments: PeerComment[];
  pulls: Map<number, PeerPull>;
  /** Files by path, for the contents endpoint and code search. */
  files: Map<string, string>;
  addIssue(input: { title: string; body?: string; labels?: string[]; assignees?: string[] }): PeerIssue;
  /** A comment typed on GitHub by someone. */
  addComment(issueNumber: number, body: string, login?: string): PeerComment;
  /** Someone closes or reopens the issue on GitHub. */
  setIssueState(number: number, state: 'open' | 'closed', reason: 'completed' | 'not_planned' | 'reopened'): PeerIssue;
  /** The pull request is merged on GitHub (and closed). */
  mergePull(number: number): PeerPull;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port that speaks the part of GitHub's REST API the
 * GitHub integration uses: issues (list with labels, get, update, comments, the repository's
 * comment listing with `since`), the repository, pull requests (create, get), code search and
 * contents. Listings and gets answer with an ETag and 304 to a matching If-None-Match, as GitHub
 * does. Every call must carry the token it was started with; anything else answers 401.
 */
export async function startGithubPeer(options: { owner: string; repo: string; token: string }): Promise<GithubPeer> {
  const requests: GithubPeerRequest[] = [];
  const issues = new Map<number, PeerIssue>();
  const comments: PeerComment[] = [];
  const pulls = new Map<number, PeerPull>();
  const files = new Map<string, string>();
  let nextNumber = 1;
  let nextCommentId = 9_000;
  let tick = 0;
  const repoPath = `/repos/${options.owner}/${options.repo}`;
  let baseUrl = '';
  const htmlBase = `https://github.example/${options.owner}/${options.repo}`;

  /** GitHub's clock: one second later on every change. */
  function stamp(): string {
    tick += 1;
    return new Date(Date.UTC(2026, 0, 1, 8, 0, tick)).toISOString().replace('.000', '');
  }

  function issueJson(issue: PeerIssue) {
    return { ...issue, url: `${baseUrl}${repoPath}/issues/${issue.number}` };
  }

  function commentJson(comment: PeerComment) {
    return {
      id: comment.id,
      body: comment.body,
      user: comment.user,
      created_at: comment.created_at,
      updated_at: comment.updated_at,
      html_url: `${htmlBase}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${baseUrl}${repoPath}/issues/${comment.issueNumber}`,
    };
  }

  function pullJson(pull: PeerPull) {
    return {
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      merged: pull.merged,
      merged_at: pull.merged_at,
      head: { ref: pull.head },
      base: { ref: pull.base },
      html_url: `${htmlBase}/pull/${pull.number}`,
    };
  }

  type Answer = { status: number; json?: unknown; conditional?: boolean };

  function route(method: string, url: URL, body: string): Answer {
    const path = url.pathname;
    const input = body ? z.record(z.string(), z.unknown()).parse(JSON.parse(body)) : {};
    if (method === 'GET' && path === repoPath)
      return { status: 200, json: { default_branch: 'main', full_name: `${options.owner}/${options.repo}` } };
    if (method === 'GET' && path === `${repoPath}/issues`) {
      const wanted = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const state = url.searchParams.get('state') ?? 'open';
      const listed = [...issues.values()]
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => wanted.every((label) => issue.labels.some((entry) => entry.name === label)))
        .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
        .map(issueJson);
      return { status: 200, json: listed, conditional: true };
    }
    if (method === 'GET' && path === `${repoPath}/issues/comments`) {
      const since = url.searchParams.get('since');
      const listed = comments.filter((comment) => !since || comment.updated_at >= since).map(commentJson);
      return { status: 200, json: listed, conditional: true };
    }
    const issueMatch = new RegExp(`^${repoPath}/issues/(\\d+)(/comments)?$`).exec(path);
    if (issueMatch) {
      const issue = issues.get(Number(issueMatch[1]));
      if (!issue) return { status: 404, json: { message: 'Not Found' } };
      if (issueMatch[2] && method === 'POST') {
        const comment = addComment(issue.number, String(input.body ?? ''), 'mission-bot');
        return { status: 201, json: commentJson(comment) };
      }
      if (method === 'GET') return { status: 200, json: issueJson(issue), conditional: true };
      if (method === 'PATCH') {
        if (input.state === 'open' || input.state === 'closed') issue.state = input.state;
        issue.state_reason = typeof input.state_reason === 'string' ? input.state_reason : null;
        issue.updated_at = stamp();
        return { status: 200, json: issueJson(issue) };
      }
    }
    if (method === 'POST' && path === `${repoPath}/pulls`) {
      const head = String(input.head);
      if ([...pulls.values()].some((pull) => pull.head === head && pull.state === 'open')) {
        return { status: 422, json: { message: 'Validation Failed', errors: [{ message: `A pull request already exists for ${head}.` }] } };
      }
      const pull: PeerPull = {
        number: nextNumber++,
        title: String(input.title),
        body: String(input.body ?? ''),
        head,
        base: String(input.base),
        state: 'open',
        merged: false,
        merged_at: null,
      };
      pulls.set(pull.number, pull);
      return { status: 201, json: pullJson(pull) };
    }
    const pullMatch = new RegExp(`^${repoPath}/pulls/(\\d+)$`).exec(path);
    if (method === 'GET' && pullMatch) {
      const pull = pulls.get(Number(pullMatch[1]));
      return pull ? { status: 200, json: pullJson(pull), conditional: true } : { status: 404, json: { message: 'Not Found' } };
    }
    if (method === 'GET' && path === '/search/code') {
      const q = url.searchParams.get('q') ?? '';
      const terms = q.split(' ').filter((term) => term && !term.startsWith('repo:'));
      const items = [...files.entries()]
        .filter(([, text]) => terms.every((term) => text.includes(term)))
        .map(([filePath, text]) => ({
          name: filePath.split('/').pop(),
          path: filePath,
          sha: createHash('sha1').update(text).digest('hex'),
          html_url: `${htmlBase}/blob/main/${filePath}`,
        }));
      return { status: 200, json: { total_count: items.length, incomplete_results: false, items } };
    }
    if (method === 'GET' && path.startsWith(`${repoPath}/contents/`)) {
      const filePath = decodeURIComponent(path.slice(`${repoPath}/contents/`.length));
      const text = files.get(filePath);
      if (text === undefined) return { status: 404, json: { message: 'Not Found' } };
      return {
        status: 200,
        json: {
          type: 'file',
          path: filePath,
          name: filePath.split('/').pop(),
          sha: createHash('sha1').update(text).digest('hex'),
          size: Buffer.byteLength(text),
          encoding: 'base64',
          content: Buffer.from(text).toString('base64'),
        },
      };
    }
    return { status: 404, json: { message: 'Not Found' } };
  }

  function addComment(issueNumber: number, body: string, login = 'octocat'): PeerComment {
    const at = stamp();
    const comment = { id: nextCommentId++, issueNumber, body, user: { login }, created_at: at, updated_at: at };
    comments.push(comment);
    return comment;
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const method = request.method ?? 'GET';
      const url = new URL(request.url ?? '/', 'http://peer');
      const authorization = request.headers.authorization;
      const ifNoneMatch = typeof request.headers['if-none-match'] === 'string' ? request.headers['if-none-match'] : undefined;
      let answer: Answer;
      if (authorization !== `token ${options.token}` && authorization !== `Bearer ${options.token}`) {
        answer = { status: 401, json: { message: 'Bad credentials' } };
      } else {
        answer = route(method, url, body);
      }
      const text = answer.json === undefined ? '' : JSON.stringify(answer.json);
      const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (answer.conditional) headers.etag = etag;
      const notModified = answer.conditional === true && answer.status === 200 && ifNoneMatch === etag;
      const status = notModified ? 304 : answer.status;
      requests.push({ method, path: `${url.pathname}${url.search}`, authorization, ifNoneMatch, status, body });
      response.writeHead(status, headers);
      response.end(notModified ? '' : text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    requests,
    issues,
    comments,
    pulls,
    files,
    addIssue(input) {
      const issue: PeerIssue = {
        number: nextNumber++,
        title: input.title,
        body: input.body ?? null,
        state: 'open',
        state_reason: null,
        labels: (input.labels ?? []).map((name) => ({ name })),
        assignees: (input.assignees ?? []).map((login) => ({ login })),
        html_url: `${htmlBase}/issues/${nextNumber - 1}`,
        updated_at: stamp(),
      };
      issues.set(issue.number, issue);
      return issue;
    },
    addComment,
    setIssueState(number, state, reason) {
      const issue = issues.get(number);
      if (!issue) throw new Error(`no issue #${number}`);
      issue.state = state;
      issue.state_reason = reason;
      issue.updated_at = stamp();
      return issue;
    },
    mergePull(number) {
      const pull = pulls.get(number);
      if (!pull) throw new Error(`no pull request #${number}`);
      pull.state = 'closed';
      pull.merged = true;
      pull.merged_at = stamp();
      return pull;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
