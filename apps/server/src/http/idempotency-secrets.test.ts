import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Observer, observeCommitted } from '../test/committed-observer.js';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';

describeEachEngine('one-time secrets and Idempotency-Key', (engine) => {
  let server: TestServer;
  let observer: Observer;
  beforeEach(async () => {
    server = await createTestServer(engine);
    observer = await observeCommitted(server.database);
  });
  afterEach(async () => {
    await observer.close();
    await server.close();
  });

  /** Everything the database holds: the SQLite file and its WAL as bytes, or every PostgreSQL table as text. */
  async function everythingStored(): Promise<string> {
    if (engine === 'sqlite') {
      const file = server.database.file as string;
      const wal = `${file}-wal`;
      return Buffer.concat([fs.readFileSync(file), fs.existsSync(wal) ? fs.readFileSync(wal) : Buffer.alloc(0)]).toString('latin1');
    }
    return observer.dumpEveryTable();
  }

  const routes = [
    { what: "an agent's key", url: async () => `/api/v1/agents/${(await server.createAgentWithKey()).agent.id}/api-keys` },
    { what: 'a personal key', url: async () => '/api/v1/auth/api-keys' },
  ];

  for (const route of routes) {
    it(`never stores ${route.what}'s secret for a replay: the repeat answers 409 with the key's id, and the database holds no secret`, async () => {
      const url = await route.url();
      const name = `marker-${randomUUID()}`;
      const create = () => server.request({ method: 'POST', url, payload: { name }, headers: { 'idempotency-key': 'create-key-once' } });

      const created = await create();
      expect(created.statusCode).toBe(201);
      const { apiKey, secret } = created.json() as { apiKey: { id: string }; secret: string };
      const id = apiKey.id;
      expect(secret).toMatch(/^mc_/);

      const replayed = await create();
      expect(replayed.statusCode).toBe(409);
      expect(replayed.json().error).toMatchObject({ code: 'IDEMPOTENCY_SECRET_NOT_REPLAYABLE', details: { apiKey: { id, name } } });
      expect(replayed.body).not.toContain(secret);
      // Still one key: the repeat did not make another.
      const listed = await server.request({ method: 'GET', url });
      expect(listed.json().data.filter((key: { name: string }) => key.name === name)).toHaveLength(1);

      const revoked = await server.request({ method: 'DELETE', url: `${url}/${id}` });
      expect(revoked.statusCode).toBe(200);
      expect((await create()).body).not.toContain(secret);

      const stored = await everythingStored();
      // The search sees what was written (the key's name is there), and no trace of the secret.
      expect(stored).toContain(name);
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(-24));
    });
  }
});
