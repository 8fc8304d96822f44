import fs from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable, readStdin } from '../output.js';
import { clientFor, globalOptions, splitList } from './shared.js';

/** Registers `mission skills list|show|create`. */
export function registerSkillCommands(program: Command): void {
  const skills = program
    .command('skills')
    .description('Skills: named markdown procedures learned from solved tasks')
    .addHelpText(
      'after',
      '\nExamples:\n  mission skills list --query "rotate credentials"\n  mission skills create "Rotate credentials" --file rotate.md --capabilities ops\n  mission skills create --from-task TASK-7',
    );

  skills
    .command('list')
    .description('List skills, newest first, or the best matches of --query')
    .option('--query <words>', 'words to look for; any may match')
    .option('--capability <capability>', 'only skills that serve this capability')
    .action(async (options: { query?: string; capability?: string }, command: Command) => {
      const client = await clientFor(command);
      const list = await client.skills
        .list({
          limit: 100,
          ...(options.query ? { q: options.query } : {}),
          ...(options.capability ? { capability: options.capability } : {}),
        })
        .toArray(500);
      if (globalOptions(command).json) return printJson(list);
      printTable(list, [
        ['id', (skill) => skill.id],
        ['name', (skill) => skill.name],
        ['version', (skill) => String(skill.version)],
        ['used', (skill) => `${skill.usage.uses} (${skill.usage.succeeded} done, ${skill.usage.failed} failed)`],
        ['updated', (skill) => formatTime(skill.updatedAt)],
      ]);
    });

  skills
    .command('show <skillId>')
    .description('Print a skill with its procedure')
    .action(async (skillId: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const skill = await client.skills.get(skillId);
      if (globalOptions(command).json) return printJson(skill);
      printLines(
        `# ${skill.name} (version ${skill.version})`,
        ...(skill.description ? ['', skill.description] : []),
        ...(skill.capabilities.length ? ['', `Capabilities: ${skill.capabilities.join(', ')}`] : []),
        '',
        `Used for ${skill.usage.uses} task(s): ${skill.usage.succeeded} done, ${skill.usage.failed} failed.`,
        '',
        skill.body,
      );
    });

  skills
    .command('create [name]')
    .description('Write a skill; the procedure comes from --file or stdin, or from a done task with --from-task')
    .option('--file <path>', 'read the markdown procedure from this file ("-" for stdin, the default)')
    .option('--description <text>', 'one line on when to use it')
    .option('--capabilities <list>', 'comma-separated capabilities it serves')
    .option('--source-task <task>', 'the solved task it was learned from (id or key)')
    .option('--from-task <task>', 'prefill everything from a done task (id or key): its title, capabilities, last message and documents')
    .action(
      async (
        name: string | undefined,
        options: { file?: string; description?: string; capabilities?: string; sourceTask?: string; fromTask?: string },
        command: Command,
      ) => {
        const client = await clientFor(command);
        const capabilities = splitList(options.capabilities);
        let skill: Awaited<ReturnType<typeof client.skills.get>>;
        if (options.fromTask) {
          const body = options.file ? (options.file === '-' ? await readStdin() : fs.readFileSync(options.file, 'utf8')) : undefined;
          skill = await client.skills.createFromTask(options.fromTask, {
            ...(name ? { name } : {}),
            ...(options.description ? { description: options.description } : {}),
            ...(capabilities ? { capabilities } : {}),
            ...(body ? { body } : {}),
          });
        } else {
          if (!name) throw new UsageError('Give the skill a name: mission skills create "Rotate credentials" --file rotate.md');
          const body = !options.file || options.file === '-' ? await readStdin() : fs.readFileSync(options.file, 'utf8');
          skill = await client.skills.create({
            name,
            body,
            ...(options.description ? { description: options.description } : {}),
            ...(capabilities ? { capabilities } : {}),
            ...(options.sourceTask ? { sourceTaskId: options.sourceTask } : {}),
          });
        }
        if (globalOptions(command).json) return printJson(skill);
        printLines(`Wrote skill ${skill.id} "${skill.name}" (version ${skill.version}).`);
      },
    );
}
