import type { Command } from 'commander';
import { formatTime, printJson, printLines, printTable } from '../output.js';
import { choice, clientFor, globalOptions, parseInteger, resolveAgentId, splitList } from './shared.js';

const memoryKinds = ['fact', 'preference', 'lesson', 'summary'] as const;
const searchTypes = ['task', 'message', 'document', 'skill', 'memory'] as const;

/** Registers `mission memories ls|add|recall|forget|share` and `mission search`. */
export function registerMemoryCommands(program: Command): void {
  const memories = program
    .command('memories')
    .description('What agents remember')
    .addHelpText(
      'after',
      '\nExamples:\n  mission memories add me "Staging is reset on Mondays" --kind lesson --importance 4\n  mission memories recall me "when is staging reset?"',
    );

  memories
    .command('ls <agent>')
    .description('List an agent’s memories, newest first (agent: id, name or me)')
    .option('--kind <kind>', 'fact, preference, lesson or summary')
    .option('--tag <tag>', 'only memories with this tag')
    .action(async (agent: string, options: { kind?: string; tag?: string }, command: Command) => {
      const client = await clientFor(command);
      const agentId = await resolveAgentId(client, agent);
      const list = await client.memories
        .list(agentId, {
          limit: 100,
          ...(options.kind ? { kind: choice('--kind', options.kind, memoryKinds) } : {}),
          ...(options.tag ? { tag: options.tag } : {}),
        })
        .toArray(500);
      if (globalOptions(command).json) return printJson(list);
      printTable(list, [
        ['id', (memory) => memory.id],
        ['at', (memory) => formatTime(memory.createdAt)],
        ['kind', (memory) => memory.kind],
        ['importance', (memory) => String(memory.importance)],
        ['content', (memory) => memory.content],
      ]);
    });

  memories
    .command('add <agent> <content>')
    .description('Remember something for an agent')
    .option('--kind <kind>', 'fact, preference, lesson or summary', 'fact')
    .option('--importance <n>', '1 (trivia) to 5 (never forget)', '3')
    .option('--tags <tags>', 'comma-separated tags')
    .option('--task <task>', 'the task it was learned in (id or key)')
    .action(
      async (
        agent: string,
        content: string,
        options: { kind: string; importance: string; tags?: string; task?: string },
        command: Command,
      ) => {
        const client = await clientFor(command);
        const memory = await client.memories.create(await resolveAgentId(client, agent), {
          content,
          kind: choice('--kind', options.kind, memoryKinds),
          importance: parseInteger('--importance', options.importance) ?? 3,
          tags: splitList(options.tags) ?? [],
          ...(options.task ? { taskId: options.task } : {}),
        });
        if (globalOptions(command).json) return printJson(memory);
        printLines(`Remembered ${memory.id}.`);
      },
    );

  memories
    .command('recall <agent> <question>')
    .description('The memories most relevant to a question (own and shared)')
    .option('--limit <n>', 'how many', '5')
    .action(async (agent: string, question: string, options: { limit: string }, command: Command) => {
      const client = await clientFor(command);
      const found = await client.memories.search(await resolveAgentId(client, agent), question, {
        limit: parseInteger('--limit', options.limit) ?? 5,
      });
      if (globalOptions(command).json) return printJson(found);
      printLines(found.note);
      printTable(found.results, [
        ['id', (hit) => hit.memory.id],
        ['score', (hit) => hit.score.toFixed(4)],
        ['kind', (hit) => hit.memory.kind],
        ['shared by', (hit) => hit.sharedFrom ?? ''],
        ['content', (hit) => hit.memory.content],
      ]);
    });

  memories
    .command('forget <agent> <memoryId>')
    .description('Forget a memory')
    .action(async (agent: string, memoryId: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      await client.memories.delete(await resolveAgentId(client, agent), memoryId);
      if (globalOptions(command).json) return printJson({ forgotten: memoryId });
      printLines(`Forgot ${memoryId}.`);
    });

  memories
    .command('share <agent> <memoryId>')
    .description('Share a memory with other agents (--to) or the whole workspace (--workspace)')
    .option('--to <agents>', 'comma-separated agent ids or names')
    .option('--workspace', 'every agent of the workspace')
    .action(async (agent: string, memoryId: string, options: { to?: string; workspace?: boolean }, command: Command) => {
      const client = await clientFor(command);
      const toAgentIds = await Promise.all((splitList(options.to) ?? []).map((name) => resolveAgentId(client, name)));
      const memory = await client.memories.share(await resolveAgentId(client, agent), memoryId, {
        ...(toAgentIds.length ? { toAgentIds } : {}),
        ...(options.workspace ? { toWorkspace: true } : {}),
      });
      if (globalOptions(command).json) return printJson(memory);
      printLines(
        `Shared ${memory.id}${memory.sharedWithWorkspace ? ' with the workspace' : ` with ${memory.sharedWithAgentIds.length} agent(s)`}.`,
      );
    });

  program
    .command('search <query>')
    .description('Search tasks, messages, documents, skills and memories')
    .option('--types <types>', 'comma-separated: task, message, document, skill, memory')
    .option('--limit <n>', 'how many hits', '20')
    .addHelpText('after', '\nExample:\n  mission search "staging reset" --types task,document')
    .action(async (query: string, options: { types?: string; limit: string }, command: Command) => {
      const client = await clientFor(command);
      const types = splitList(options.types)?.map((type) => choice('--types', type, searchTypes));
      const result = await client.search.query(query, { ...(types ? { types } : {}), limit: parseInteger('--limit', options.limit) ?? 20 });
      if (globalOptions(command).json) return printJson(result);
      printTable(result.hits, [
        ['type', (hit) => hit.type],
        ['id', (hit) => hit.id],
        ['title', (hit) => hit.title],
        ['snippet', (hit) => hit.snippet.replace(/\s+/g, ' ')],
      ]);
      printLines(
        Object.entries(result.facets)
          .map(([type, count]) => `${type}: ${count}`)
          .join(', '),
      );
    });
}
