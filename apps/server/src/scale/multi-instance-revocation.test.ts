import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestUrl } from '../test/engines.js';
import { buildCommandLine, createScratchPostgresDatabase, type ServerProcess, startServerProcess } from '../test/server-process.js';
import { connectStream, type TestStreamClient } from '../test/stream-client.js';

const ownerEmail = 'owner@example.com';
const ownerPassword = 'correct horse battery staple';
const postgresRequired = process.env.MISSION_REQUIRE_POSTGRES === '1';
const suite = postgresTestUrl ? describe : postgresRequired ? describe : describe.skip;

/** One JSON call to an instance; throws on anything but 2xx. */
async function call(baseUrl: string, method: string, route: string, credential: string | null, body?: unknown) {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      ...(credential ? { authorization: `Bearer ${credential}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

suite(`revocations made on one instance close streams on another${postgresTestUrl ? '' : ' (skipped: no PostgreSQL)'}`, () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDirectory: string;
  let writer: ServerProcess;
  let reader: ServerProcess;
  const clients: TestStreamClient[] = [];

  beforeAll(async () => {
    if (!postgresTestUrl) throw new Error('MISSION_REQUIRE_POSTGRES=1 but MISSION_TEST_DATABASE_URL is not set');
    await buildCommandLine();
    database = await createScratchPostgresDatabase(postgresTestUrl, 'mc_revoke');
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-revoke-'));
    const environment = (index: number) => ({
      DATABASE_URL: database.url,
      MISSION_DATA_DIR: path.join(dataDirectory, `instance-${index}`),
      MISSION_ADMIN_EMAIL: ownerEmail,
      MISSION_ADMIN_PASSWORD: ownerPassword,
      MISSION_RATE_LIMIT_PER_MINUTE: '100000',
      MISSION_LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    });
    writer = await startServerProcess({ environment: environment(0) });
    reader = await startServerProcess({ environment: environment(1) });
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([writer, reader].filter(Boolean).map((instance) => instance.kill()));
    await database?.drop();
    if (dataDirectory) fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  const signIn = async (email: string, password: string) =>
    (await call(writer.url, 'POST', '/api/v1/auth/login', null, { email, password })) as { accessToken: string };

  /** A socket on the reader instance, authenticated by its first message (or by `?token=` when asked). */
  const connectToReader = async (credential: string, inUrl = false) => {
    const base = `${reader.url.replace('http', 'ws')}/api/v1/ws/activities`;
    const client = inUrl ? connectStream(`${base}?token=${credential}`) : connectStream(base, { authToken: credential });
    clients.push(client);
    await client.waitFor((messages) => messages.some((message) => message.type === 'ready'), 'ready');
    return client;
  };

  const expectClosed = async (client: TestStreamClient, code: number, errorCode: string) => {
    expect((await client.closed).code).toBe(code);
    expect(client.messages.at(-1)).toMatchObject({ type: 'error', data: { code: errorCode } });
  };

  it('closes the reader’s sockets when the writer revokes a key, removes a member and ends a session', async () => {
    const owner = await signIn(ownerEmail, ownerPassword);
    const agent = await call(writer.url, 'POST', '/api/v1/agents', owner.accessToken, { name: 'far-away', role: 'specialist' });
    const key = await call(writer.url, 'POST', `/api/v1/agents/${agent.id}/api-keys`, owner.accessToken, { name: 'remote' });
    const memberPassword = 'a long enough password';
    const invitation = await call(writer.url, 'POST', '/api/v1/invitations', owner.accessToken, {
      email: 'remote-member@example.com',
      role: 'member',
    });
    const joined = await call(writer.url, 'POST', `/api/v1/invitation-links/${invitation.token}/accept`, null, {
      name: 'remote',
      password: memberPassword,
    });
    const member = { user: joined.user };
    const memberSession = await signIn('remote-member@example.com', memberPassword);
    const secondOwnerSession = await signIn(ownerEmail, ownerPassword);

    const agentSocket = await connectToReader(key.secret as string, true);
    const memberSocket = await connectToReader(memberSession.accessToken);
    const ownerSocket = await connectToReader(secondOwnerSession.accessToken);
    const untouched = await connectToReader(owner.accessToken);

    const keys = await call(writer.url, 'GET', `/api/v1/agents/${agent.id}/api-keys`, owner.accessToken);
    await call(writer.url, 'DELETE', `/api/v1/agents/${agent.id}/api-keys/${keys.data[0].id}`, owner.accessToken);
    await expectClosed(agentSocket, 4401, 'API_KEY_REVOKED');

    await call(writer.url, 'DELETE', `/api/v1/members/${member.user.id}`, owner.accessToken);
    await expectClosed(memberSocket, 4403, 'FORBIDDEN');

    await call(writer.url, 'POST', '/api/v1/auth/logout', secondOwnerSession.accessToken, {});
    await expectClosed(ownerSocket, 4401, 'TOKEN_INVALID');

    // The owner's other session still streams, from the reader, what the writer does.
    await call(writer.url, 'POST', '/api/v1/tasks', owner.accessToken, { title: 'After the revocations' });
    await untouched.waitFor((messages) => messages.some((message) => message.type === 'event' && message.data.type === 'task-created'));

    // Neither instance logged the key that came in a URL, nor any token.
    expect(reader.output()).toContain('/api/v1/ws/activities?token=[redacted]');
    for (const instance of [writer, reader]) {
      for (const secret of [key.secret, owner.accessToken, memberSession.accessToken]) expect(instance.output()).not.toContain(secret);
    }
  });
});
