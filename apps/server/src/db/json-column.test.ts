import { runStepSchema } from '@mission-control/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { parseJsonColumn, StoredDataError } from './json-column.js';

describeEachEngine('JSON columns', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer(engine);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Overwrites an agent's stored capabilities with raw JSON, as a hand edit or a broken version would. */
  async function storeCapabilities(agentId: string, json: string) {
    const value = engine === 'postgres' ? sql`cast(${json} as jsonb)` : sql`${json}`;
    await sql`update agents set capabilities = ${value} where id = ${agentId}`.execute(server.database.db);
  }

  async function readCapabilities(agentId: string): Promise<unknown> {
    const row = await server.database.db.selectFrom('agents').select('capabilities').where('id', '=', agentId).executeTakeFirstOrThrow();
    return row.capabilities;
  }

  it('reads a stored column back as its schema says, whichever form the engine answers it in', async () => {
    const { agent } = await server.createAgentWithKey({ capabilities: ['typescript', 'research'] });
    const stored = await readCapabilities(agent.id);
    // SQLite keeps the JSON text, PostgreSQL answers parsed jsonb.
    expect(typeof stored).toBe(engine === 'postgres' ? 'object' : 'string');
    expect(parseJsonColumn(z.array(z.string()), stored, 'agents.capabilities')).toEqual(['typescript', 'research']);
    const answer = await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}` });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().capabilities).toEqual(['typescript', 'research']);
  });

  it('throws a StoredDataError naming the column and the place when stored data does not match, and the API answers 500', async () => {
    const { agent } = await server.createAgentWithKey();
    await storeCapabilities(agent.id, '["typescript", 7]');
    const stored = await readCapabilities(agent.id);
    let thrown: unknown;
    try {
      parseJsonColumn(z.array(z.string()), stored, 'agents.capabilities');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoredDataError);
    expect(thrown).toMatchObject({ column: 'agents.capabilities' });
    expect(String(thrown)).toMatch(/agents\.capabilities .*at 1:/);
    const answer = await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}` });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
  });

  it('throws a StoredDataError for text that is not JSON at all', () => {
    expect(() => parseJsonColumn(runStepSchema, '{"kind": "model", ', 'agent_run_steps.step')).toThrow(StoredDataError);
    expect(() => parseJsonColumn(runStepSchema, '{"kind": "model", ', 'agent_run_steps.step')).toThrow(/agent_run_steps\.step/);
  });
});
