import { agentKindSchema, agentStatusSchema, localAgentKindSchema } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printFields, printJson, printLines, printTable, readStdin } from '../output.js';
import { clientFor, globalOptions, oneOf, parseInteger, resolveAgentId, splitList } from './shared.js';

/** Where a published agent's card is, on the server this CLI talks to (the server serves it without a credential). */
function agentCardUrl(client: MissionControl, agentId: string): string {
  return `${client.baseUrl}/a2a/agents/${agentId}/.well-known/agent-card.json`;
}

/** Registers `mission agents ls|create|add-remote|show|key|publish|unpublish`. */
export function registerAgentCommands(program: Command): void {
  const agents = program.command('agents').description('Agents of the workspace and their API keys');

  agents
    .command('ls')
    .description('List agents')
    .option('--status <status>', `only this status (${agentStatusSchema.options.join(', ')})`)
    .option('--kind <kind>', `only this kind (${agentKindSchema.options.join(', ')})`)
    .action(async (options: { status?: string; kind?: string }, command: Command) => {
      const client = await clientFor(command);
      const status = oneOf('--status', options.status, agentStatusSchema.options);
      const kind = oneOf('--kind', options.kind, agentKindSchema.options);
      const list = await client.agents.list({ ...(status ? { status } : {}), ...(kind ? { kind } : {}), limit: 200 }).toArray();
      if (globalOptions(command).json) {
        printJson(list);
        return;
      }
      printTable(list, [
        ['id', (agent) => agent.id],
        ['name', (agent) => agent.name],
        ['role', (agent) => agent.role],
        ['kind', (agent) => agent.kind],
        ['status', (agent) => agent.status],
        ['last heartbeat', (agent) => formatTime(agent.lastHeartbeatAt)],
      ]);
    });

  agents
    .command('create <name>')
    .description('Register an agent (and with --key, give it an API key)')
    .requiredOption('--role <role>', 'what the agent does, such as "technical writer"')
    .option('--kind <kind>', `${localAgentKindSchema.options.join(', ')}`, 'specialist')
    .option('--capabilities <list>', 'comma-separated capabilities, such as typescript,web-research')
    .option('--concurrency <n>', 'how many tasks it may hold at once')
    .option('--heartbeat-interval <seconds>', 'expected seconds between heartbeats')
    .option('--key', 'also create an API key and print it (shown once)')
    .addHelpText('after', '\nExample:\n  mission agents create jarvis --role technical --capabilities typescript,testing --key')
    .action(
      async (
        name: string,
        options: { role: string; kind: string; capabilities?: string; concurrency?: string; heartbeatInterval?: string; key?: boolean },
        command: Command,
      ) => {
        const client = await clientFor(command);
        const agent = await client.agents.create({
          name,
          role: options.role,
          kind: oneOf('--kind', options.kind, localAgentKindSchema.options),
          capabilities: splitList(options.capabilities) ?? [],
          concurrencyLimit: parseInteger('--concurrency', options.concurrency),
          heartbeatIntervalSeconds: parseInteger('--heartbeat-interval', options.heartbeatInterval),
        });
        const key = options.key ? await client.agents.createApiKey(agent.id, { name: 'cli' }) : undefined;
        if (globalOptions(command).json) {
          printJson({ agent, ...(key ? { apiKey: key } : {}) });
          return;
        }
        printLines(`Created agent ${agent.name} (${agent.id}).`);
        if (key) printLines(`API key (shown once, store it now): ${key.secret}`, `  export MISSION_API_KEY=${key.secret}`);
      },
    );

  agents
    .command('add-remote <card-url>')
    .description('Add a remote agent to the squad from its A2A agent card; tasks assigned to it are sent there over Agent2Agent')
    .option('--name <name>', 'the name in the squad (used for @mentions); defaults to the card’s name')
    .option('--api-key-stdin', 'read the key the remote agent expects (sent as Bearer) from stdin')
    .addHelpText(
      'after',
      '\nThe key is read from stdin so it stays out of the shell history.\n\nExamples:\n  mission agents add-remote https://agents.example.com/.well-known/agent-card.json\n  echo "$REMOTE_KEY" | mission agents add-remote https://agents.example.com/.well-known/agent-card.json --name translator --api-key-stdin',
    )
    .action(async (cardUrl: string, options: { name?: string; apiKeyStdin?: boolean }, command: Command) => {
      const apiKey = options.apiKeyStdin ? (await readStdin()).trim() : undefined;
      if (apiKey === '')
        throw new UsageError('Pipe the key on stdin: echo "$REMOTE_KEY" | mission agents add-remote <card-url> --api-key-stdin');
      const client = await clientFor(command);
      const agent = await client.agents.create({
        kind: 'remote',
        a2a: { cardUrl, ...(apiKey ? { apiKey } : {}) },
        ...(options.name ? { name: options.name } : {}),
      });
      if (globalOptions(command).json) {
        printJson(agent);
        return;
      }
      printLines(
        `Added remote agent ${agent.name} (${agent.id}).`,
        `Capabilities: ${agent.capabilities.join(', ') || 'none'}`,
        `Tasks assigned to ${agent.name} are sent to it over A2A.`,
      );
    });

  agents
    .command('show <agent>')
    .description('Show one agent (by id or name)')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const agent = await client.agents.get(await resolveAgentId(client, reference));
      if (globalOptions(command).json) {
        printJson(agent);
        return;
      }
      printFields([
        ['Id', agent.id],
        ['Name', agent.name],
        ['Role', agent.role],
        ['Kind', agent.kind],
        ['Status', agent.status],
        ['Session key', agent.sessionKey],
        ['Capabilities', agent.capabilities.join(', ')],
        ['Concurrency', agent.concurrencyLimit],
        ['Heartbeat every', `${agent.heartbeatIntervalSeconds} s`],
        ['Last heartbeat', formatTime(agent.lastHeartbeatAt)],
        ['A2A card', agent.a2a.published ? agentCardUrl(client, agent.id) : 'not published (mission agents publish)'],
      ]);
    });

  agents
    .command('key <agent>')
    .description('Create an API key for an agent (by id or name); the secret is printed once')
    .option('--name <name>', 'a label for the key, such as the machine it lives on', 'cli')
    .option('--allow-ip <address...>', 'only accept the key from these addresses or CIDR ranges (10.1.0.0/16, 2001:db8::1)')
    .option('--rate-limit <perMinute>', 'a rate limit of its own, in requests per minute')
    .option('--require-signature', 'refuse every request with the key that is not signed (the SDK and this CLI sign)')
    .addHelpText(
      'after',
      '\nExamples:\n  export MISSION_API_KEY=$(mission agents key jarvis --json | jq -r .secret)\n  mission agents key jarvis --name build-box --allow-ip 10.1.0.0/16 --rate-limit 600 --require-signature',
    )
    .action(
      async (
        reference: string,
        options: { name: string; allowIp?: string[]; rateLimit?: string; requireSignature?: boolean },
        command: Command,
      ) => {
        const client = await clientFor(command);
        const rateLimitPerMinute = parseInteger('--rate-limit', options.rateLimit);
        const created = await client.agents.createApiKey(await resolveAgentId(client, reference), {
          name: options.name,
          ...(options.allowIp ? { allowedIps: options.allowIp } : {}),
          ...(rateLimitPerMinute !== undefined ? { rateLimitPerMinute } : {}),
          ...(options.requireSignature ? { requireSignature: true } : {}),
        });
        if (globalOptions(command).json) {
          printJson(created);
          return;
        }
        printLines(`API key ${created.apiKey.name} (${created.apiKey.prefix}…), shown once — store it now:`, created.secret);
      },
    );

  agents
    .command('rotate-key <agent> <keyId>')
    .description("Replace one of an agent's API keys with a new one of the same settings; the old one works for the grace period")
    .option('--grace <seconds>', 'how long the old key keeps working (0 stops it at once)', '3600')
    .addHelpText(
      'after',
      "\nThe key id is in GET /api/v1/agents/{id}/api-keys (the dashboard's agent page lists it).\n\nExample:\n  mission agents rotate-key jarvis key_01HX… --grace 600 --json | jq -r .secret",
    )
    .action(async (reference: string, keyId: string, options: { grace: string }, command: Command) => {
      const client = await clientFor(command);
      const graceSeconds = parseInteger('--grace', options.grace) ?? 3600;
      const rotated = await client.agents.rotateApiKey(await resolveAgentId(client, reference), keyId, { graceSeconds });
      if (globalOptions(command).json) {
        printJson(rotated);
        return;
      }
      const until = rotated.previous.revokedAt
        ? 'The old key stopped working now.'
        : `The old key (${rotated.previous.prefix}…) works until ${formatTime(rotated.previous.expiresAt)}.`;
      printLines(`New API key ${rotated.apiKey.name} (${rotated.apiKey.prefix}…), shown once — store it now:`, rotated.secret, until);
    });

  agents
    .command('publish <agent>')
    .description('Make an agent (by id or name) reachable over the Agent2Agent protocol; prints its public card URL')
    .addHelpText('after', '\nExample:\n  mission agents publish jarvis')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const agent = await client.agents.update(await resolveAgentId(client, reference), { a2a: { published: true } });
      if (globalOptions(command).json) {
        printJson(agent);
        return;
      }
      printLines(
        agentCardUrl(client, agent.id),
        `Published ${agent.name}: A2A clients read the card above and send messages to ${client.baseUrl}/a2a/agents/${agent.id} with a key of this workspace.`,
      );
    });

  agents
    .command('unpublish <agent>')
    .description('Withdraw an agent (by id or name) from the Agent2Agent protocol; its card answers 404 again')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const agent = await client.agents.update(await resolveAgentId(client, reference), { a2a: { published: false } });
      if (globalOptions(command).json) {
        printJson(agent);
        return;
      }
      printLines(`Unpublished ${agent.name}: its A2A card and endpoint are gone.`);
    });
}
