import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type AgentTool, runTool, toolResult } from '@mission-control/mcp';
import { z } from 'zod';
import { relativeToRoot, resolveInside, WorkspacePathRefused } from './resolve-inside.js';

/** Answers the worktree's real path, preparing it on first use. */
export type WorktreeRoot = () => Promise<string>;

const maxListedEntries = 500;
const maxReadBytes = 256 * 1_024;
const maxWriteBytes = 1_024 * 1_024;
/** Listed but not walked into by a recursive listing: git's own folder and installed packages. */
const notWalked = new Set(['.git', 'node_modules']);

const pathArgument = z.string().min(1).max(1_000).describe('A path relative to the worktree root, such as src/index.ts');

async function listEntries(realRoot: string, start: string, recursive: boolean) {
  const lines: string[] = [];
  let cut = false;
  const walk = async (directory: string): Promise<void> => {
    const entries = (await fs.readdir(directory, { withFileTypes: true })).sort((left, right) => left.name.localeCompare(right.name));
    for (const entry of entries) {
      if (lines.length >= maxListedEntries) {
        cut = true;
        return;
      }
      const absolute = path.join(directory, entry.name);
      const shown = relativeToRoot(realRoot, absolute);
      if (entry.isSymbolicLink()) lines.push(`${shown} (symbolic link)`);
      else if (entry.isDirectory()) {
        if (entry.name === '.git' && directory === realRoot) continue;
        lines.push(`${shown}/`);
        if (recursive && !notWalked.has(entry.name)) await walk(absolute);
      } else lines.push(shown);
    }
  };
  await walk(start);
  return { lines, cut };
}

/** list_files, read_file and write_file over one task's worktree; every path goes through resolveInside. */
export function createFileTools(root: WorktreeRoot): AgentTool[] {
  return [
    {
      name: 'list_files',
      title: 'List files in the worktree',
      description:
        "List the files and folders of your task's git worktree (folders end with /). Give a folder relative to the worktree root, or nothing for the root; " +
        `recursive lists everything below it (node_modules and .git are not walked into). At most ${maxListedEntries} entries.`,
      inputSchema: {
        path: z.string().max(1_000).optional().describe('A folder relative to the worktree root; the root when left out'),
        recursive: z.boolean().optional(),
      },
      run: (input) =>
        runTool(async () => {
          const realRoot = await fs.realpath(await root());
          const folder = await resolveInside(realRoot, typeof input.path === 'string' ? input.path : '.');
          const stat = await fs.stat(folder).catch(() => null);
          if (!stat) throw new WorkspacePathRefused(`${relativeToRoot(realRoot, folder)} does not exist`);
          if (!stat.isDirectory()) throw new WorkspacePathRefused(`${relativeToRoot(realRoot, folder)} is a file: read it with read_file`);
          const { lines, cut } = await listEntries(realRoot, folder, input.recursive === true);
          const header = `${relativeToRoot(realRoot, folder)}: ${lines.length} entr${lines.length === 1 ? 'y' : 'ies'}${cut ? ` (cut at ${maxListedEntries}; list a subfolder)` : ''}`;
          return toolResult(lines.length ? `${header}\n${lines.join('\n')}` : `${header} (empty)`);
        }),
    },
    {
      name: 'read_file',
      title: 'Read a file in the worktree',
      description:
        "Read a text file of your task's git worktree. startLine (1-based) and lineCount read part of a long file. " +
        `Files over ${maxReadBytes / 1_024} KB are cut; binary files are refused. Returns the text with the line range shown.`,
      inputSchema: {
        path: pathArgument,
        startLine: z.number().int().min(1).optional(),
        lineCount: z.number().int().min(1).max(10_000).optional(),
      },
      run: (input) =>
        runTool(async () => {
          const realRoot = await fs.realpath(await root());
          const file = await resolveInside(realRoot, String(input.path));
          const shown = relativeToRoot(realRoot, file);
          // O_NOFOLLOW: a link put in place after the check is refused rather than followed.
          const handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: unknown) => {
            const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
            if (code === 'ENOENT') throw new WorkspacePathRefused(`${shown} does not exist: list_files shows what is there`);
            if (code === 'EISDIR') throw new WorkspacePathRefused(`${shown} is a folder: list it with list_files`);
            throw error;
          });
          try {
            const stat = await handle.stat();
            if (stat.isDirectory()) throw new WorkspacePathRefused(`${shown} is a folder: list it with list_files`);
            const buffer = Buffer.alloc(Math.min(stat.size, maxReadBytes));
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
            const bytes = buffer.subarray(0, bytesRead);
            if (bytes.subarray(0, 8_000).includes(0)) throw new WorkspacePathRefused(`${shown} is a binary file (${stat.size} bytes)`);
            const lines = bytes.toString('utf8').split('\n');
            const start = typeof input.startLine === 'number' ? input.startLine : 1;
            const count = typeof input.lineCount === 'number' ? input.lineCount : lines.length;
            const selected = lines.slice(start - 1, start - 1 + count);
            const end = start - 1 + selected.length;
            const cut = stat.size > maxReadBytes ? ` (the file has ${stat.size} bytes; only the first ${maxReadBytes} were read)` : '';
            return toolResult(`${shown}, lines ${start}–${end} of ${lines.length}${cut}:\n${selected.join('\n')}`);
          } finally {
            await handle.close();
          }
        }),
    },
    {
      name: 'write_file',
      title: 'Write a file in the worktree',
      description:
        "Create or replace a text file in your task's git worktree with the whole content given (folders are created). " +
        'For a small change to a long file prefer apply_patch. What you write is committed on the task branch at the end of your turn.',
      inputSchema: { path: pathArgument, content: z.string().max(maxWriteBytes) },
      run: (input) =>
        runTool(async () => {
          const realRoot = await fs.realpath(await root());
          const file = await resolveInside(realRoot, String(input.path));
          const shown = relativeToRoot(realRoot, file);
          if (file === realRoot) throw new WorkspacePathRefused('give a file name, not the worktree root');
          const existed = await fs
            .lstat(file)
            .then(() => true)
            .catch(() => false);
          await fs.mkdir(path.dirname(file), { recursive: true });
          const handle = await fs.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
          try {
            await handle.writeFile(String(input.content), 'utf8');
          } finally {
            await handle.close();
          }
          const bytes = Buffer.byteLength(String(input.content), 'utf8');
          return toolResult(`${existed ? 'Replaced' : 'Created'} ${shown} (${bytes} bytes).`);
        }),
    },
  ];
}
