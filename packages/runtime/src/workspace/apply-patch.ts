import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type AgentTool, runTool, toolResult } from '@mission-control/mcp';
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';
import { z } from 'zod';
import type { WorktreeRoot } from './file-tools.js';
import { relativeToRoot, resolveInside } from './resolve-inside.js';

/** A patch that cannot be applied as given; the message is written for the model. */
export class PatchNotApplied extends Error {
  override readonly name = 'PatchNotApplied';
}

const nullFile = '/dev/null';

/** git writes a/ and b/ in front of the paths; a plain diff does not. */
function patchPath(name: string | undefined, prefix: 'a/' | 'b/'): string | null {
  if (name === undefined || name === '' || name === nullFile) return null;
  const unquoted = name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
  return unquoted.startsWith(prefix) ? unquoted.slice(prefix.length) : unquoted;
}

type PlannedChange = { kind: 'write'; file: string; content: string; created: boolean } | { kind: 'delete'; file: string };

async function readIfPresent(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch((error: unknown) => {
    if (error instanceof Error && Reflect.get(error, 'code') === 'ENOENT') return null;
    throw error;
  });
}

async function planFile(realRoot: string, patch: StructuredPatch, planned: Map<string, string | null>): Promise<PlannedChange[]> {
  if (patch.isBinary) throw new PatchNotApplied('binary changes cannot be applied: write text files only');
  const oldName = patchPath(patch.oldFileName, 'a/');
  const newName = patchPath(patch.newFileName, 'b/');
  const target = newName ?? oldName;
  if (!target) throw new PatchNotApplied('a file section names no file (both sides are /dev/null)');
  // Every path the patch names is checked, the one it reads and the one it writes.
  const oldFile = oldName ? await resolveInside(realRoot, oldName) : null;
  const newFile = newName ? await resolveInside(realRoot, newName) : null;
  const shown = relativeToRoot(realRoot, (newFile ?? oldFile) as string);
  // A file changed by an earlier section of the same patch is patched as it will be, not as it is.
  const current = oldFile ? (planned.has(oldFile) ? (planned.get(oldFile) ?? null) : await readIfPresent(oldFile)) : null;
  if (oldFile && current === null)
    throw new PatchNotApplied(`${relativeToRoot(realRoot, oldFile)} does not exist: create it with --- /dev/null, or use write_file`);
  if (!oldFile && newFile && (planned.has(newFile) ? planned.get(newFile) !== null : (await readIfPresent(newFile)) !== null))
    throw new PatchNotApplied(`${shown} already exists: patch it from its current content instead of creating it`);
  const patched = applyPatch(current ?? '', patch);
  if (patched === false) {
    throw new PatchNotApplied(
      `the patch does not apply to ${shown}: the lines around one of its ${patch.hunks.length} hunk(s) are not in the file as written. Read the file again and make the patch from what is there.`,
    );
  }
  const changes: PlannedChange[] = [];
  if (!newFile) {
    changes.push({ kind: 'delete', file: oldFile as string });
    planned.set(oldFile as string, null);
    return changes;
  }
  changes.push({ kind: 'write', file: newFile, content: patched, created: !oldFile || oldFile !== newFile });
  planned.set(newFile, patched);
  if (oldFile && oldFile !== newFile && !patch.isCopy) {
    changes.push({ kind: 'delete', file: oldFile });
    planned.set(oldFile, null);
  }
  return changes;
}

/**
 * Applies a unified diff (git's or diff -u's) to files of a worktree. All or nothing: every file
 * section is checked and applied in memory first, and nothing is written unless all of them fit.
 * Answers one line per file changed.
 */
export async function applyUnifiedPatch(root: string, patchText: string): Promise<string[]> {
  const realRoot = await fs.realpath(root);
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(patchText);
  } catch (error) {
    throw new PatchNotApplied(`the patch cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const sections = patches.filter((patch) => patch.hunks.length > 0 || patch.isRename || patch.isDelete || patch.isCreate);
  if (sections.length === 0)
    throw new PatchNotApplied('the patch holds no changes: give a unified diff with --- a/file, +++ b/file and @@ hunks');
  const planned = new Map<string, string | null>();
  const changes: PlannedChange[] = [];
  for (const patch of sections) changes.push(...(await planFile(realRoot, patch, planned)));
  const summary: string[] = [];
  for (const change of changes) {
    const shown = relativeToRoot(realRoot, change.file);
    if (change.kind === 'delete') {
      await fs.rm(change.file, { force: true });
      summary.push(`deleted ${shown}`);
      continue;
    }
    await fs.mkdir(path.dirname(change.file), { recursive: true });
    const handle = await fs.open(change.file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    try {
      await handle.writeFile(change.content, 'utf8');
    } finally {
      await handle.close();
    }
    summary.push(`${change.created ? 'created' : 'patched'} ${shown}`);
  }
  return summary;
}

/** apply_patch over one task's worktree. */
export function createApplyPatchTool(root: WorktreeRoot): AgentTool {
  return {
    name: 'apply_patch',
    title: 'Apply a patch in the worktree',
    description:
      "Change files of your task's git worktree with a unified diff (as git diff or diff -u write it: --- a/path, +++ b/path, @@ hunks with a few lines of context). " +
      'New files come from --- /dev/null, deleted files go to +++ /dev/null. Paths are relative to the worktree root. ' +
      'All or nothing: when one hunk does not match the file, nothing is changed and the answer says which file; read it again and retry.',
    inputSchema: {
      patch: z
        .string()
        .min(1)
        .max(1_024 * 1_024)
        .describe('The unified diff'),
    },
    run: (input) =>
      runTool(async () => {
        const summary = await applyUnifiedPatch(await root(), String(input.patch));
        return toolResult(`Applied the patch: ${summary.join(', ')}.`);
      }),
  };
}
