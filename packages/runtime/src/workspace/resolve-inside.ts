import fs from 'node:fs/promises';
import path from 'node:path';

/** A path a workspace tool may not touch; the message is written for the model. */
export class WorkspacePathRefused extends Error {
  override readonly name = 'WorkspacePathRefused';
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

function errorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Resolves a path the model gave against a worktree root, or refuses it. The one place where a
 * workspace path is checked: NUL bytes, `..` segments, absolute paths outside the root, the
 * worktree's `.git` (a hand-written one could point git at another repository), and symbolic
 * links, at any depth and through any chain, that lead outside the root or nowhere. The answer is
 * a real path inside the root, with any not-yet-existing tail (a file about to be written) appended.
 * Components that exist are resolved with realpath, so what is checked is where the bytes will go.
 */
export async function resolveInside(root: string, requested: string): Promise<string> {
  if (requested.includes('\0')) throw new WorkspacePathRefused('the path contains a NUL character');
  const realRoot = await fs.realpath(root);
  const segments = requested.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new WorkspacePathRefused(`"${requested}" goes up with "..": give a path inside the worktree`);
  let candidate: string;
  if (path.isAbsolute(requested)) {
    // An absolute path is accepted only when it names something inside the worktree itself.
    const normalized = path.resolve(requested);
    const base = isInside(realRoot, normalized) ? realRoot : isInside(path.resolve(root), normalized) ? path.resolve(root) : null;
    if (!base) throw new WorkspacePathRefused(`"${requested}" is outside the worktree: give a path relative to the worktree root`);
    candidate = path.join(realRoot, path.relative(base, normalized));
  } else {
    candidate = path.join(realRoot, ...segments);
  }
  if (path.relative(realRoot, candidate).split(path.sep)[0]?.toLowerCase() === '.git')
    throw new WorkspacePathRefused('the worktree\'s ".git" is off limits: git is run for you at the end of the turn');

  // Walk up from the requested path to the deepest part that exists, and resolve that.
  const missing: string[] = [];
  let existing = candidate;
  let resolved: string;
  for (;;) {
    try {
      resolved = await fs.realpath(existing);
      break;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR') throw error;
      // A link whose target does not exist would send a write wherever it points.
      const link = await fs.lstat(existing).catch(() => null);
      if (link?.isSymbolicLink()) throw new WorkspacePathRefused(`"${requested}" goes through a symbolic link that leads nowhere`);
      if (existing === realRoot) throw error;
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
  if (!isInside(realRoot, resolved))
    throw new WorkspacePathRefused(`"${requested}" goes through a symbolic link that leads outside the worktree`);
  const answer = path.join(resolved, ...missing);
  if (path.relative(realRoot, answer).split(path.sep)[0]?.toLowerCase() === '.git')
    throw new WorkspacePathRefused('the worktree\'s ".git" is off limits: git is run for you at the end of the turn');
  return answer;
}

/** The path relative to the worktree root, with forward slashes, as the model should name it. */
export function relativeToRoot(realRoot: string, absolute: string): string {
  return path.relative(realRoot, absolute).split(path.sep).join('/') || '.';
}
