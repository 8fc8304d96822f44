import fs from 'node:fs';
import { documentTypeSchema } from '@mission-control/contracts';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable, readStdin } from '../output.js';
import { registerDocumentShareCommands } from './document-shares.js';
import { clientFor, globalOptions, oneOf, parseInteger } from './shared.js';

/** Registers `mission docs ls|show|write|share|shares|unshare` (also spelled `mission documents`). */
export function registerDocumentCommands(program: Command): void {
  const docs = program.command('docs').alias('documents').description('Versioned markdown documents');

  docs
    .command('ls')
    .description('List documents')
    .option('--task <task>', 'documents of this task')
    .option('--type <type>', documentTypeSchema.options.join(', '))
    .option('-q, --query <text>', 'text to find')
    .action(async (options: { task?: string; type?: string; query?: string }, command: Command) => {
      const client = await clientFor(command);
      const type = oneOf('--type', options.type, documentTypeSchema.options);
      const list = await client.documents
        .list({
          ...(options.task ? { taskId: options.task } : {}),
          ...(type ? { type } : {}),
          ...(options.query ? { q: options.query } : {}),
          limit: 200,
        })
        .toArray(500);
      if (globalOptions(command).json) {
        printJson(list);
        return;
      }
      printTable(list, [
        ['id', (document) => document.id],
        ['title', (document) => document.title],
        ['type', (document) => document.type],
        ['version', (document) => document.version],
        ['updated', (document) => formatTime(document.updatedAt)],
      ]);
    });

  docs
    .command('show <document>')
    .description('Print a document (the markdown; --json for everything)')
    .option('--version <n>', 'an older version')
    .action(async (documentId: string, options: { version?: string }, command: Command) => {
      const client = await clientFor(command);
      const version = parseInteger('--version', options.version);
      const document =
        version === undefined ? await client.documents.get(documentId) : await client.documents.getVersion(documentId, version);
      if (globalOptions(command).json) {
        printJson(document);
        return;
      }
      process.stdout.write(document.content.endsWith('\n') ? document.content : `${document.content}\n`);
    });

  docs
    .command('write [document]')
    .description('Create a document, or write a new version of one; the content comes from --file or stdin')
    .option('--title <title>', 'the title (required to create)')
    .option('--file <path>', 'read the markdown from this file ("-" for stdin, the default)')
    .option('--task <task>', 'attach it to this task')
    .option('--type <type>', documentTypeSchema.options.join(', '))
    .option('--base-version <n>', 'the version you edited: fails with 409 instead of overwriting a newer one')
    .addHelpText(
      'after',
      '\nExamples:\n  mission docs write --title "Launch post" --task TASK-7 --file post.md\n  cat post.md | mission docs write 0190… --base-version 2',
    )
    .action(
      async (
        documentId: string | undefined,
        options: { title?: string; file?: string; task?: string; type?: string; baseVersion?: string },
        command: Command,
      ) => {
        const content = !options.file || options.file === '-' ? await readStdin() : fs.readFileSync(options.file, 'utf8');
        const type = oneOf('--type', options.type, documentTypeSchema.options);
        const client = await clientFor(command);
        let document: Awaited<ReturnType<typeof client.documents.get>>;
        if (documentId) {
          const baseVersion = parseInteger('--base-version', options.baseVersion);
          document = await client.documents.update(documentId, {
            content,
            ...(options.title ? { title: options.title } : {}),
            ...(options.task ? { taskId: options.task } : {}),
            ...(type ? { type } : {}),
            ...(baseVersion ? { baseVersion } : {}),
          });
        } else {
          if (!options.title) throw new UsageError('Give --title to create a document (or a document id to update one).');
          document = await client.documents.create({
            title: options.title,
            content,
            ...(options.task ? { taskId: options.task } : {}),
            ...(type ? { type } : {}),
          });
        }
        if (globalOptions(command).json) {
          printJson(document);
          return;
        }
        printLines(`Wrote "${document.title}" version ${document.version} (${document.id}).`);
      },
    );

  registerDocumentShareCommands(docs);
}
