import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyUnifiedPatch, PatchNotApplied } from './apply-patch.js';
import { WorkspacePathRefused } from './resolve-inside.js';

describe('apply_patch', () => {
  let base: string;
  let root: string;
  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mission-patch-')));
    root = path.join(base, 'worktree');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'greet.ts'), 'export function greet() {\n  return "hello";\n}\n');
    fs.writeFileSync(path.join(root, 'old.txt'), 'to be removed\n');
    fs.writeFileSync(path.join(base, 'outside.txt'), 'untouched\n');
    fs.symlinkSync(base, path.join(root, 'escape'));
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('patches, creates and deletes files from one git-style diff', async () => {
    const patch = [
      'diff --git a/src/greet.ts b/src/greet.ts',
      '--- a/src/greet.ts',
      '+++ b/src/greet.ts',
      '@@ -1,3 +1,3 @@',
      ' export function greet() {',
      '-  return "hello";',
      '+  return "hello, world";',
      ' }',
      '--- /dev/null',
      '+++ b/docs/notes.md',
      '@@ -0,0 +1,2 @@',
      '+# Notes',
      '+written by a patch',
      '--- a/old.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-to be removed',
      '',
    ].join('\n');
    expect(await applyUnifiedPatch(root, patch)).toEqual(['patched src/greet.ts', 'created docs/notes.md', 'deleted old.txt']);
    expect(fs.readFileSync(path.join(root, 'src', 'greet.ts'), 'utf8')).toBe('export function greet() {\n  return "hello, world";\n}\n');
    expect(fs.readFileSync(path.join(root, 'docs', 'notes.md'), 'utf8')).toBe('# Notes\nwritten by a patch\n');
    expect(fs.existsSync(path.join(root, 'old.txt'))).toBe(false);
  });

  it('changes nothing when one section does not fit', async () => {
    const patch = [
      '--- a/src/greet.ts',
      '+++ b/src/greet.ts',
      '@@ -1,3 +1,3 @@',
      ' export function greet() {',
      '-  return "hello";',
      '+  return "hi";',
      ' }',
      '--- a/old.txt',
      '+++ b/old.txt',
      '@@ -1 +1 @@',
      '-text that is not there',
      '+new text',
      '',
    ].join('\n');
    await expect(applyUnifiedPatch(root, patch)).rejects.toThrow(/does not apply to old.txt/);
    expect(fs.readFileSync(path.join(root, 'src', 'greet.ts'), 'utf8')).toContain('"hello"');
  });

  it('refuses patches that touch paths outside the worktree, and writes nothing', async () => {
    const outside = (name: string) => ['--- /dev/null', `+++ ${name}`, '@@ -0,0 +1 @@', '+pwned', ''].join('\n');
    await expect(applyUnifiedPatch(root, outside('b/../outside.txt'))).rejects.toThrow(WorkspacePathRefused);
    await expect(applyUnifiedPatch(root, outside(path.join(base, 'elsewhere.txt')))).rejects.toThrow(WorkspacePathRefused);
    await expect(applyUnifiedPatch(root, outside('b/escape/through-link.txt'))).rejects.toThrow(WorkspacePathRefused);
    const modify = ['--- a/escape/outside.txt', '+++ b/escape/outside.txt', '@@ -1 +1 @@', '-untouched', '+pwned', ''].join('\n');
    await expect(applyUnifiedPatch(root, modify)).rejects.toThrow(WorkspacePathRefused);
    expect(fs.readFileSync(path.join(base, 'outside.txt'), 'utf8')).toBe('untouched\n');
    expect(fs.existsSync(path.join(base, 'elsewhere.txt'))).toBe(false);
    expect(fs.existsSync(path.join(base, 'through-link.txt'))).toBe(false);
  });

  it('says what is wrong with a patch that is not a diff', async () => {
    await expect(applyUnifiedPatch(root, 'please change greet to say hi')).rejects.toThrow(PatchNotApplied);
  });
});
