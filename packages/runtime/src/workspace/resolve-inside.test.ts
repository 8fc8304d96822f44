import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside, WorkspacePathRefused } from './resolve-inside.js';

describe('resolveInside', () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeAll(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mission-resolve-')));
    root = path.join(base, 'worktree');
    outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(root, 'src', 'index.ts'), 'export {};\n');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
    fs.writeFileSync(path.join(root, '.git'), 'gitdir: /somewhere\n');
    fs.symlinkSync('/etc', path.join(root, 'etc-link'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'secret-link'));
    // A chain: first → second → the outside folder; each step looks harmless alone.
    fs.symlinkSync(outside, path.join(root, 'src', 'second'));
    fs.symlinkSync(path.join('src', 'second'), path.join(root, 'first'));
    fs.symlinkSync(path.join(outside, 'not-there-yet'), path.join(root, 'dangling'));
    fs.symlinkSync('index.ts', path.join(root, 'src', 'inner-link'));
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  const refused = async (requested: string) => {
    const error = await resolveInside(root, requested).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error, requested).toBeInstanceOf(WorkspacePathRefused);
    return (error as Error).message;
  };

  it('resolves paths inside the worktree, existing or about to be written', async () => {
    expect(await resolveInside(root, 'src/index.ts')).toBe(path.join(root, 'src', 'index.ts'));
    expect(await resolveInside(root, './src//new/file.ts')).toBe(path.join(root, 'src', 'new', 'file.ts'));
    expect(await resolveInside(root, '.')).toBe(root);
    expect(await resolveInside(root, path.join(root, 'src', 'index.ts'))).toBe(path.join(root, 'src', 'index.ts'));
    // A link that stays inside is followed to where it points.
    expect(await resolveInside(root, 'src/inner-link')).toBe(path.join(root, 'src', 'index.ts'));
  });

  it('refuses .. at any depth, even when it would land inside', async () => {
    expect(await refused('../x')).toContain('..');
    expect(await refused('../outside/secret.txt')).toContain('..');
    expect(await refused('src/../../outside/secret.txt')).toContain('..');
    expect(await refused('src/../README.md')).toContain('..');
  });

  it('refuses absolute paths outside the worktree', async () => {
    expect(await refused('/etc/passwd')).toContain('outside the worktree');
    expect(await refused(path.join(outside, 'secret.txt'))).toContain('outside the worktree');
    expect(await refused(`${root}-sibling/file`)).toContain('outside the worktree');
  });

  it('refuses symbolic links that lead outside: to /etc, to a file, through a chain, and dangling ones', async () => {
    expect(await refused('etc-link/passwd')).toContain('symbolic link');
    expect(await refused('etc-link')).toContain('symbolic link');
    expect(await refused('secret-link')).toContain('symbolic link');
    expect(await refused('first/secret.txt')).toContain('symbolic link');
    expect(await refused('first/new-file.txt')).toContain('symbolic link');
    expect(await refused('dangling')).toContain('leads nowhere');
  });

  it("refuses NUL bytes and the worktree's .git", async () => {
    expect(await refused('src/index.ts\0.png')).toContain('NUL');
    expect(await refused('.git')).toContain('.git');
    expect(await refused('.GIT/config')).toContain('.git');
  });
});
