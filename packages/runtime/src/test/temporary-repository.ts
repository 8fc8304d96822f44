// Test support: a real git repository in a temporary folder, with one commit.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What the tests run git with: the machine's PATH, and a HOME of their own (no personal git config). */
export function testGitEnvironment(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
}

export interface TemporaryRepository {
  path: string;
  environment: Record<string, string>;
  git(...args: string[]): string;
  remove(): void;
}

/** git init, a README and a first commit; remove() deletes it all. */
export function createTemporaryRepository(): TemporaryRepository {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mission-workspace-')));
  const repository = path.join(base, 'repository');
  const home = path.join(base, 'home');
  fs.mkdirSync(repository);
  fs.mkdirSync(home);
  const environment = testGitEnvironment(home);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repository,
      env: {
        ...environment,
        GIT_AUTHOR_NAME: 'Tester',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 'Tester',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
      encoding: 'utf8',
    });
  git('init', '--quiet', '--initial-branch=main');
  fs.writeFileSync(path.join(repository, 'README.md'), '# Test repository\n\nline two\nline three\n');
  git('add', 'README.md');
  git('commit', '--quiet', '-m', 'first commit');
  return { path: repository, environment, git, remove: () => fs.rmSync(base, { recursive: true, force: true }) };
}
