import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMissionControlError } from '@mission-control/sdk';
import type { Command } from 'commander';
import { environment } from '../config.js';
import { UsageError } from '../exit-codes.js';
import { printJson, printLines, readStdin } from '../output.js';
import { clientFor, globalOptions, parseInteger } from './shared.js';

/** Lets the user edit text in $VISUAL or $EDITOR and answers the result. */
function editInEditor(text: string): string {
  if (!environment.editor) throw new UsageError('Set EDITOR (or VISUAL), or pass --notes-file <path> ("-" for stdin).');
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-working-'));
  const file = path.join(directory, 'WORKING-notes.md');
  try {
    fs.writeFileSync(file, text, { mode: 0o600 });
    // Through the shell, so EDITOR="code --wait" works.
    const result = spawnSync('sh', ['-c', `${environment.editor} "$1"`, 'mission-editor', file], { stdio: 'inherit' });
    if (result.status !== 0) throw new UsageError(`The editor exited with ${result.status ?? result.signal}; nothing was saved.`);
    return fs.readFileSync(file, 'utf8');
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** Registers `mission working show|edit`. */
export function registerWorkingCommands(program: Command): void {
  const working = program.command('working').description('The shared WORKING.md: live board and the team notes');

  working
    .command('show')
    .description('Print WORKING.md (--notes for the notes section alone)')
    .option('--notes', 'only the notes section')
    .action(async (options: { notes?: boolean }, command: Command) => {
      const client = await clientFor(command);
      const state = await client.workingState.get();
      if (globalOptions(command).json) {
        printJson(state);
        return;
      }
      const text = options.notes ? state.notes : state.markdown;
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });

  working
    .command('edit')
    .description('Edit the notes in $EDITOR (or replace them from --notes-file); refuses to overwrite a newer version')
    .option('--notes-file <path>', 'take the new notes from this file ("-" for stdin) instead of opening an editor')
    .option('--base-version <n>', 'the version you read earlier (from `working show --json`); default: the version read now')
    .addHelpText(
      'after',
      '\nExamples:\n  mission working edit\n  echo "Focus: launch on Friday" | mission working edit --notes-file -\n  mission working edit --notes-file notes.md --base-version 7',
    )
    .action(async (options: { notesFile?: string; baseVersion?: string }, command: Command) => {
      const client = await clientFor(command);
      const state = await client.workingState.get();
      const baseVersion = parseInteger('--base-version', options.baseVersion) ?? state.version;
      const notes =
        options.notesFile === '-'
          ? await readStdin()
          : options.notesFile
            ? fs.readFileSync(options.notesFile, 'utf8')
            : editInEditor(state.notes);
      if (notes === state.notes && baseVersion === state.version) {
        if (globalOptions(command).json) {
          printJson(state);
          return;
        }
        return printLines(`No changes; the notes stay at version ${state.version}.`);
      }
      try {
        const updated = await client.workingState.update({ notes, version: baseVersion });
        if (globalOptions(command).json) {
          printJson(updated);
          return;
        }
        printLines(`Saved the notes as version ${updated.version}.`);
      } catch (error) {
        if (isMissionControlError(error) && error.code === 'PRECONDITION_FAILED') {
          throw new UsageError(
            `Someone changed WORKING.md while you edited it (you started from version ${baseVersion}). Nothing was saved: run \`mission working edit\` again to edit the new version.`,
            5,
          );
        }
        throw error;
      }
    });
}
