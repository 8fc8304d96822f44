import { agentSchema, createdApiKeySchema } from '@mission-control/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealServer, startRealServer } from '../../../sdk/src/test/real-server.js';
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

describe('mission agents key|rotate-key against a real server', () => {
  const cli = useCliAgainstRealServer('agents-keys');
  const { run } = cli;

  it('creates a narrowed signing key the CLI itself can use, then rotates it with no grace', async () => {
    expect((await run(['agents', 'create', 'Keeper', '--role', 'archivist'])).code).toBe(0);
    const created = await run([
      'agents',
      'key',
      'keeper',
      '--name',
      'build-box',
      '--allow-ip',
      '127.0.0.1',
      '::1',
      '--rate-limit',
      '600',
      '--require-signature',
      '--json',
    ]);
    expect(created.stderr).toBe('');
    const key = createdApiKeySchema.parse(JSON.parse(created.stdout));
    expect(key.apiKey).toMatchObject({
      name: 'build-box',
      allowedIps: ['127.0.0.1', '::1'],
      rateLimitPerMinute: 600,
      requireSignature: true,
    });

    // The CLI signs every request made with an API key, so the key works from it as it is.
    const plain = await fetch(`${cli.server.url}/api/v1/agents`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(plain.status).toBe(401);
    expect((await plain.json()).error.code).toBe('SIGNATURE_INVALID');
    const listed = await run(['--api-key', key.secret, 'agents', 'ls', '--json']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);

    const rotated = await run(['agents', 'rotate-key', 'Keeper', key.apiKey.id, '--grace', '0']);
    expect(rotated.code).toBe(0);
    const [headline, secret, note] = rotated.stdout.trim().split('\n');
    expect(headline).toContain('New API key build-box');
    expect(secret).toMatch(/^mc_/);
    expect(note).toBe('The old key stopped working now.');
    expect((await run(['--api-key', key.secret, 'agents', 'ls'])).code).toBe(4);
    expect((await run(['--api-key', secret ?? '', 'agents', 'ls'])).code).toBe(0);

    const again = await run(['agents', 'rotate-key', 'Keeper', key.apiKey.id]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('API_KEY_NOT_ROTATABLE');
    // Several CLI processes one after another: each start takes seconds on a loaded machine.
  }, 120_000);
});

describe('mission agents add-remote against a real server', () => {
  // The remote agent lives on a second server, on 127.0.0.1: a private address, allowed on the
  // CLI's server as an operator would allow it (MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS). Not on the
  // CLI's own server: on SQLite an idempotent POST (the SDK sends a key with each) holds the one
  // writer while the card is read, so a card served by the same server waits until the read times out.
  const cli = useCliAgainstRealServer('agents-remote', { integrations: { allowPrivateTargets: true } });
  const { run } = cli;
  let there: RealServer;
  let translator: { id: string };
  let hermit: { id: string };
  /** The key the remote expects: one of its own workspace, as a partner squad would hold. */
  let remoteKey: string;
  const cardUrlOf = (agentId: string) => `${there.url}/a2a/agents/${agentId}/.well-known/agent-card.json`;
  const remoteAgentsHere = async () =>
    agentSchema.array().parse((await cli.server.request({ method: 'GET', url: '/api/v1/agents?kind=remote' })).json().data);

  beforeAll(async () => {
    there = await startRealServer('sqlite');
    translator = (await there.createAgentWithKey({ name: 'translator', role: 'Translator', capabilities: ['translation', 'german'] }))
      .agent;
    const published = await there.request({
      method: 'PATCH',
      url: `/api/v1/agents/${translator.id}`,
      payload: { a2a: { published: true } },
    });
    expect(published.statusCode, published.body).toBe(200);
    hermit = (await there.createAgentWithKey({ name: 'hermit', role: 'Recluse' })).agent;
    remoteKey = (await there.createAgentWithKey({ name: 'partner-squad', role: 'Partner' })).apiKey;
  }, 120_000);
  afterAll(async () => {
    await there?.close();
  });

  it('adds a published agent from its card, with the key from stdin, and prints its name, id and capabilities', async () => {
    const added = await run(['agents', 'add-remote', cardUrlOf(translator.id), '--api-key-stdin'], `${remoteKey}\n`);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const [line, capabilities] = added.stdout.trim().split('\n');
    // The name comes from the card when none is given.
    const id = /^Added remote agent translator \(([0-9a-f-]{36})\)\.$/.exec(line ?? '')?.[1];
    expect(id, added.stdout).toBeDefined();
    expect(capabilities).toBe('Capabilities: translation, german');
    expect(added.stdout).not.toContain(remoteKey);

    const shown = await run(['agents', 'show', 'translator', '--json']);
    expect(agentSchema.parse(JSON.parse(shown.stdout))).toMatchObject({
      id,
      name: 'translator',
      kind: 'remote',
      status: 'idle',
      capabilities: ['translation', 'german'],
    });
    expect(shown.stdout).not.toContain(remoteKey);
    // The key from stdin reached the server, which keeps it sealed.
    const stored = await cli.server.database.db
      .selectFrom('a2a_remote_agents')
      .select('sealed_api_key')
      .where('agent_id', '=', id ?? '')
      .executeTakeFirstOrThrow();
    expect(stored.sealed_api_key).toEqual(expect.any(String));
    expect(stored.sealed_api_key).not.toContain(remoteKey);

    const named = await run(['agents', 'add-remote', cardUrlOf(translator.id), '--name', 'faraway', '--json']);
    expect(named.code, named.stderr).toBe(0);
    expect(agentSchema.parse(JSON.parse(named.stdout))).toMatchObject({
      name: 'faraway',
      kind: 'remote',
      capabilities: ['translation', 'german'],
    });
    // Several CLI processes one after another: each start takes seconds on a loaded machine.
  }, 120_000);

  it("exits non-zero with the server's reason for a URL that is not a card, and asks for the key when stdin is empty", async () => {
    const before = await remoteAgentsHere();
    // Never published, so its card answers 404.
    const unreadable = await run(['agents', 'add-remote', cardUrlOf(hermit.id)]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain(`error A2A_CARD_UNREADABLE: The card at ${cardUrlOf(hermit.id)} answered HTTP 404.`);
    expect(unreadable.stdout).toBe('');

    const noKey = await run(['agents', 'add-remote', cardUrlOf(translator.id), '--name', 'keyless', '--api-key-stdin'], '');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('Pipe the key on stdin');
    expect(await remoteAgentsHere()).toEqual(before);
  }, 120_000);
});
