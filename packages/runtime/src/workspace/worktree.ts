import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The git side of a task's workspace, shared by built-in agents and `mission runner`: each task
 * gets a worktree at `<repository>/.mission/worktrees/<TASK-KEY>` on branch `mission/<task-key>`,
 * created from the repository's HEAD (or the parent task's branch), and the agent's changes are
 * committed there with the agent as the author.
 */

/** What git is started with: only these variables (PATH to find git, HOME for the operator's git config). */
export type GitEnvironment = Record<string, string>;

export class WorktreeError extends Error {
  override readonly name = 'WorktreeError';
}

const taskKeyPattern = /^[A-Za-z][A-Za-z0-9]{0,31}-[0-9]{1,12}$/;
const gitTimeoutMs = 60_000;

/** Runs git without a shell; answers stdout, or throws with git's own words. */
export function runGit(args: readonly string[], options: { cwd: string; environment: GitEnvironment }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      {
        cwd: options.cwd,
        env: { ...options.environment, LANG: 'C', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
        timeout: gitTimeoutMs,
        maxBuffer: 16 * 1_024 * 1_024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = (stderr || error.message).trim().split('\n').slice(-3).join(' ');
          const command = args.find((arg, index) => !arg.startsWith('-') && args[index - 1] !== '-c') ?? '';
          reject(new WorktreeError(`git ${command} failed: ${detail}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

async function gitSucceeds(args: readonly string[], options: { cwd: string; environment: GitEnvironment }): Promise<boolean> {
  return runGit(args, options).then(
    () => true,
    () => false,
  );
}

/** The branch of a task's worktree: mission/task-7. */
export function branchNameFor(taskKey: string): string {
  return `mission/${taskKey.toLowerCase()}`;
}

/** Where a task's worktree lives: <repository>/.mission/worktrees/TASK-7. */
export function worktreePathFor(repositoryPath: string, taskKey: string): string {
  if (!taskKeyPattern.test(taskKey)) throw new WorktreeError(`"${taskKey}" is not a task key such as TASK-7`);
  return path.join(repositoryPath, '.mission', 'worktrees', taskKey.toUpperCase());
}

/** The commit identity of an agent: its name, and an address under a reserved domain that nobody receives mail at. */
export function agentCommitAuthor(agent: { id: string; name: string }): { name: string; email: string } {
  return { name: agent.name, email: `${agent.id.toLowerCase()}@agents.mission-control.invalid` };
}

/**
 * Whether a folder can hold task worktrees: it exists, is the top folder of a (non-bare) git
 * repository, and has a first commit to branch from. Answers a sentence for a person when not.
 */
export async function checkRepository(repositoryPath: string, environment: GitEnvironment): Promise<string | null> {
  const stat = await fs.stat(repositoryPath).catch(() => null);
  if (!stat) return `${repositoryPath} does not exist on the server.`;
  if (!stat.isDirectory()) return `${repositoryPath} is a file, not a folder.`;
  let topLevel: string;
  try {
    topLevel = (await runGit(['rev-parse', '--show-toplevel'], { cwd: repositoryPath, environment })).trim();
  } catch (error) {
    return `${repositoryPath} is not a git repository (${error instanceof Error ? error.message : String(error)}). Run git init there, or name the repository's top folder.`;
  }
  const [realTop, realGiven] = await Promise.all([fs.realpath(topLevel), fs.realpath(repositoryPath)]);
  if (realTop !== realGiven) return `${repositoryPath} is inside the git repository ${topLevel}: name its top folder instead.`;
  if (!(await gitSucceeds(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: repositoryPath, environment })))
    return `${repositoryPath} has no commit yet: make a first commit, so task branches have something to start from.`;
  return null;
}

/** The repository's own git folder (shared by its worktrees). */
async function commonGitDirectory(cwd: string, environment: GitEnvironment): Promise<string> {
  const answer = (await runGit(['rev-parse', '--git-common-dir'], { cwd, environment })).trim();
  return fs.realpath(path.resolve(cwd, answer));
}

/** Keeps .mission/ out of the repository's own `git status`, without touching a tracked .gitignore. */
async function excludeMissionFolder(repositoryPath: string, environment: GitEnvironment): Promise<void> {
  const infoDirectory = path.join(await commonGitDirectory(repositoryPath, environment), 'info');
  const excludeFile = path.join(infoDirectory, 'exclude');
  const current = await fs.readFile(excludeFile, 'utf8').catch(() => '');
  if (current.split('\n').some((line) => line.trim() === '/.mission/')) return;
  await fs.mkdir(infoDirectory, { recursive: true });
  await fs.appendFile(excludeFile, `${current === '' || current.endsWith('\n') ? '' : '\n'}/.mission/\n`);
}

async function isWorktreeOn(worktreePath: string, branch: string, environment: GitEnvironment): Promise<boolean> {
  try {
    const top = (await runGit(['rev-parse', '--show-toplevel'], { cwd: worktreePath, environment })).trim();
    if ((await fs.realpath(top)) !== (await fs.realpath(worktreePath))) return false;
    const head = (await runGit(['symbolic-ref', '--quiet', 'HEAD'], { cwd: worktreePath, environment })).trim();
    return head === `refs/heads/${branch}`;
  } catch {
    return false;
  }
}

export interface PreparedWorktree {
  /** The worktree folder (real path). */
  path: string;
  branch: string;
  /** False when an earlier turn or run had already made it. */
  created: boolean;
  /** What a new branch was started from: HEAD, or the parent task's branch. */
  base: string | null;
}

/**
 * Makes sure a task's worktree exists and is on the task's branch, creating both when needed.
 * The same call from a runner and a built-in turn, or two instances at once, ends with one worktree.
 */
export async function prepareWorktree(options: {
  repositoryPath: string;
  taskKey: string;
  /** For a subtask: the parent's key; its branch is the starting point when it exists. */
  parentTaskKey?: string | null;
  environment: GitEnvironment;
}): Promise<PreparedWorktree> {
  const { repositoryPath, environment } = options;
  const worktreePath = worktreePathFor(repositoryPath, options.taskKey);
  const branch = branchNameFor(options.taskKey);
  const git = { cwd: repositoryPath, environment };
  const existing = await fs.stat(worktreePath).catch(() => null);
  if (existing) {
    if (await isWorktreeOn(worktreePath, branch, environment))
      return { path: await fs.realpath(worktreePath), branch, created: false, base: null };
    throw new WorktreeError(`${worktreePath} exists but is not the worktree of branch ${branch}: move it away and try again.`);
  }
  await excludeMissionFolder(repositoryPath, environment);
  await fs.mkdir(path.dirname(worktreePath), { recursive: true });
  // A worktree folder someone deleted by hand stays registered until pruned, and blocks `worktree add`.
  await runGit(['worktree', 'prune'], git);
  let base: string | null = null;
  try {
    if (await gitSucceeds(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], git)) {
      await runGit(['worktree', 'add', worktreePath, branch], git);
    } else {
      const parentBranch = options.parentTaskKey ? branchNameFor(options.parentTaskKey) : null;
      base =
        parentBranch && (await gitSucceeds(['show-ref', '--verify', '--quiet', `refs/heads/${parentBranch}`], git)) ? parentBranch : 'HEAD';
      await runGit(['worktree', 'add', '-b', branch, worktreePath, base], git);
    }
  } catch (error) {
    // Another process made it meanwhile: theirs is as good as ours.
    if (await isWorktreeOn(worktreePath, branch, environment))
      return { path: await fs.realpath(worktreePath), branch, created: false, base: null };
    throw error;
  }
  return { path: await fs.realpath(worktreePath), branch, created: true, base };
}

export interface WorktreeCommit {
  branch: string;
  /** The full commit id. */
  commit: string;
  /** `git show --stat` of the commit: the files and the lines added and removed. */
  diffStat: string;
  filesChanged: number;
}

/**
 * Commits everything that changed in a worktree (new, changed and deleted files, .gitignore
 * respected) with the agent as the author; null when nothing changed. Hooks are not run: they
 * would run code the agent may have written. The worktree must still belong to the repository:
 * its .git file, rewritten, could otherwise point git at a repository with a hostile config.
 */
export async function commitWorktree(options: {
  repositoryPath: string;
  worktreePath: string;
  author: { name: string; email: string };
  message: string;
  environment: GitEnvironment;
}): Promise<WorktreeCommit | null> {
  const { worktreePath, author } = options;
  const expected = await commonGitDirectory(options.repositoryPath, options.environment);
  const actual = await commonGitDirectory(worktreePath, options.environment).catch(() => null);
  if (actual !== expected)
    throw new WorktreeError(`${worktreePath} no longer belongs to ${options.repositoryPath}; nothing was committed.`);
  const environment: GitEnvironment = {
    ...options.environment,
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: 'Mission Control',
    GIT_COMMITTER_EMAIL: 'mission-control@mission-control.invalid',
  };
  const git = { cwd: worktreePath, environment };
  await runGit(['-c', 'core.hooksPath=/dev/null', 'add', '--all'], git);
  const staged = (await runGit(['diff', '--cached', '--name-only', '-z'], git)).split('\0').filter(Boolean);
  if (staged.length === 0) return null;
  await runGit(['-c', 'core.hooksPath=/dev/null', 'commit', '--quiet', '--no-verify', '-m', options.message], git);
  const commit = (await runGit(['rev-parse', 'HEAD'], git)).trim();
  const branch = (await runGit(['symbolic-ref', '--short', 'HEAD'], git)).trim();
  const diffStat = (await runGit(['show', '--stat', '--format=', 'HEAD'], git)).replace(/^\n+/, '').trimEnd();
  return { branch, commit, diffStat, filesChanged: staged.length };
}
