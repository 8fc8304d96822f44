import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A git command that failed, with what it printed. */
export class GitError extends Error {
  override readonly name = 'GitError';
}

/** Runs git in a directory and answers its stdout; throws GitError with stderr on failure. */
export function git(cwd: string, args: readonly string[], environment: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      { cwd, env: { ...environment, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 20 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new GitError(`git ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

/** The branch a task works on: `mission/task-7`. */
export function branchOfTask(taskKey: string): string {
  return `mission/${taskKey.toLowerCase()}`;
}

/** Where a task's worktree lives: `<repo>/.mission/worktrees/TASK-7`. */
export function worktreePathOf(repository: string, taskKey: string): string {
  return path.join(repository, '.mission', 'worktrees', taskKey);
}

/** The top of the repository a directory is in; throws when it is not in one. */
export async function findRepositoryRoot(directory: string, environment: Record<string, string>): Promise<string> {
  return (await git(directory, ['rev-parse', '--show-toplevel'], environment)).trim();
}

/** Keeps .mission/ out of the repository's status without touching its tracked files (.git/info/exclude). */
export async function excludeMissionDirectory(repository: string, environment: Record<string, string>): Promise<void> {
  const gitDirectory = (await git(repository, ['rev-parse', '--git-common-dir'], environment)).trim();
  const exclude = path.join(path.resolve(repository, gitDirectory), 'info', 'exclude');
  const current = fs.existsSync(exclude) ? fs.readFileSync(exclude, 'utf8') : '';
  if (current.split('\n').includes('/.mission/')) return;
  fs.mkdirSync(path.dirname(exclude), { recursive: true });
  fs.appendFileSync(exclude, `${current && !current.endsWith('\n') ? '\n' : ''}/.mission/\n`);
}

async function branchExists(repository: string, branch: string, environment: Record<string, string>): Promise<boolean> {
  try {
    await git(repository, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], environment);
    return true;
  } catch {
    return false;
  }
}

/**
 * The task's worktree, created on first use: branch `mission/<key>` from the parent task's
 * branch when there is one, else from the repository's HEAD. A later run reuses it as it is.
 */
export async function ensureWorktree(
  repository: string,
  taskKey: string,
  parentTaskKey: string | null,
  environment: Record<string, string>,
): Promise<{ path: string; branch: string; created: boolean; base: string }> {
  const worktree = worktreePathOf(repository, taskKey);
  const branch = branchOfTask(taskKey);
  if (fs.existsSync(path.join(worktree, '.git'))) return { path: worktree, branch, created: false, base: branch };
  fs.mkdirSync(path.dirname(worktree), { recursive: true });
  await git(repository, ['worktree', 'prune'], environment);
  if (await branchExists(repository, branch, environment)) {
    await git(repository, ['worktree', 'add', worktree, branch], environment);
    return { path: worktree, branch, created: true, base: branch };
  }
  const parentBranch = parentTaskKey ? branchOfTask(parentTaskKey) : null;
  const base = parentBranch && (await branchExists(repository, parentBranch, environment)) ? parentBranch : 'HEAD';
  await git(repository, ['worktree', 'add', '-b', branch, worktree, base], environment);
  return { path: worktree, branch, created: true, base };
}

/** Commits everything that changed in the worktree as the agent; answers the commit and its diff stat, or null when nothing changed. */
export async function commitChanges(
  worktree: string,
  author: { name: string; email: string },
  message: string,
  environment: Record<string, string>,
): Promise<{ commit: string; diffStat: string } | null> {
  await git(worktree, ['add', '-A'], environment);
  const staged = (await git(worktree, ['diff', '--cached', '--name-only'], environment)).trim();
  if (!staged) return null;
  const identity = {
    ...environment,
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
  await git(worktree, ['commit', '--no-verify', '-q', '-m', message], identity);
  const commit = (await git(worktree, ['rev-parse', 'HEAD'], environment)).trim();
  const diffStat = (await git(worktree, ['show', '--stat', '--format=', 'HEAD'], environment)).trim();
  return { commit, diffStat };
}
