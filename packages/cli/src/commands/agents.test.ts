import { agentSchema, createdApiKeySchema } from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

describe('mission agents publish|unpublish against a real server', () => {
  const cli = useCliAgainstRealServer('agents');
  const { run } = cli;

  it('publishes an agent by name, prints a card URL that opens without a credential, and withdraws it', async () => {
    const created = await run(['agents', 'create', 'Scout', '--role', 'researcher', '--json']);
    expect(created.code).toBe(0);
    const scout = agentSchema.parse(JSON.parse(created.stdout).agent);
    expect(scout.a2a.published).toBe(false);
    const cardUrl = `${cli.server.url}/a2a/agents/${scout.id}/.well-known/agent-card.json`;
    expect((await fetch(cardUrl)).status).toBe(404);

    // Names resolve whatever their case, as for the other agent commands.
    const published = await run(['agents', 'publish', 'scout']);
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    const [url, note] = published.stdout.trim().split('\n');
    expect(url).toBe(cardUrl);
    expect(note).toContain('Published Scout');
    expect(note).toContain(`${cli.server.url}/a2a/agents/${scout.id}`);
    const card = await fetch(url ?? '');
    expect(card.status).toBe(200);
    expect(await card.json()).toMatchObject({ name: 'Scout', supportedInterfaces: [{ url: `${cli.server.url}/a2a/agents/${scout.id}` }] });

    const shown = await run(['agents', 'show', scout.id]);
    expect(shown.stdout).toContain(cardUrl);

    const unpublished = await run(['agents', 'unpublish', scout.id, '--json']);
    expect(unpublished.code).toBe(0);
    expect(agentSchema.parse(JSON.parse(unpublished.stdout))).toMatchObject({ id: scout.id, a2a: { published: false } });
    expect((await fetch(cardUrl)).status).toBe(404);

    const again = await run(['agents', 'publish', 'Scout', '--json']);
    expect(agentSchema.parse(JSON.parse(again.stdout)).a2a.published).toBe(true);
    expect((await run(['agents', 'unpublish', 'Scout'])).stdout).toBe('Unpublished Scout: its A2A card and endpoint are gone.\n');
    // Several CLI processes one after another: each start takes seconds on a loaded machine.
  }, 120_000);

  it('explains an unknown name, and an agent that tries to publish itself', async () => {
    const unknown = await run(['agents', 'publish', 'nobody']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('No agent named "nobody"');

    const created = await run(['agents', 'create', 'courier', '--role', 'messenger', '--key', '--json']);
    const answer = JSON.parse(created.stdout);
    const agent = agentSchema.parse(answer.agent);
    const apiKey = createdApiKeySchema.parse(answer.apiKey);
    const itself = await run(['--api-key', apiKey.secret, 'agents', 'publish', 'me']);
    expect(itself.code).toBe(4);
    expect(itself.stderr).toContain('error FORBIDDEN');
    expect(agentSchema.parse(JSON.parse((await run(['agents', 'show', agent.id, '--json'])).stdout)).a2a.published).toBe(false);
  }, 120_000);
});
