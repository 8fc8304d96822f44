import { afterEach, beforeEach, expect, it } from 'vitest';
import { appendEvent } from '../../events/event.repository.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';
import { countBoardMovesBySlot, moveSlotSeconds } from './analytics.repository.js';
import { findPeriodStart, listPeriodStarts } from './time-zones.js';

const statuses = ['in_progress', 'review', 'done', 'failed', 'blocked'] as const;

describeEachEngine('throughput rollup', (engine) => {
  let server: TestServer;
  let token: string;
  let agentId: string;

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-02-01T00:00:00.000Z')) });
    token = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'rollup test' } })).json().secret;
    agentId = (await server.createAgentWithKey()).agent.id;
  });
  afterEach(async () => {
    await server.close();
  });

  /** Board moves spread over January at odd instants, some by the agent, some by the owner. */
  const scatterMoves = async (count: number) => {
    let state = 7;
    const next = (limit: number) => {
      state = (state * 48_271) % 2_147_483_647;
      return state % limit;
    };
    await server.database.db.transaction().execute(async (trx) => {
      for (let index = 0; index < count; index += 1) {
        const at = new Date(Date.parse('2026-01-01T00:00:00.000Z') + next(31 * 24 * 3600) * 1000 + next(1000));
        const actor = next(3) === 0 ? { kind: 'user' as const, id: server.ownerPrincipal.id } : { kind: 'agent' as const, id: agentId };
        if (next(4) === 0) {
          await appendEvent(trx, {
            workspaceId: server.workspaceId,
            type: 'task-created',
            actor,
            summary: 'created',
            data: { key: `TASK-${index}`, title: 'x', status: 'inbox', priority: 'medium', assignees: [], parentId: null },
            at,
          });
        } else {
          await appendEvent(trx, {
            workspaceId: server.workspaceId,
            type: 'task-status-changed',
            actor,
            summary: 'moved',
            data: { key: `TASK-${index}`, from: 'assigned', to: statuses[next(statuses.length)] ?? 'done' },
            at,
          });
        }
      }
    });
  };

  /** The answer counted straight from the events, folded the way the endpoint folds. */
  const countDirectly = async (from: string, to: string, interval: 'hour' | 'day' | 'week', timeZone: string, byAgent: boolean) => {
    const slots = await countBoardMovesBySlot(server.database.db, engine, { workspaceId: server.workspaceId, from, to, byAgent });
    const starts = listPeriodStarts(new Date(from), new Date(to), timeZone, interval);
    const buckets = new Map<string, { created: number; started: number; done: number; failed: number }>();
    for (const slot of slots) {
      const start = findPeriodStart(starts, slot.slot * moveSlotSeconds * 1000);
      if (start === undefined) continue;
      const key = `${new Date(start).toISOString()}|${byAgent ? (slot.agentId ?? 'null') : ''}`;
      const bucket = buckets.get(key) ?? { created: 0, started: 0, done: 0, failed: 0 };
      if (slot.type === 'task-created') bucket.created += slot.count;
      else if (slot.to === 'in_progress') bucket.started += slot.count;
      else if (slot.to === 'done') bucket.done += slot.count;
      else if (slot.to === 'failed') bucket.failed += slot.count;
      buckets.set(key, bucket);
    }
    return [...buckets.entries()]
      .filter(([, bucket]) => bucket.created + bucket.started + bucket.done + bucket.failed > 0)
      .map(([key, bucket]) => `${key}|${bucket.created}|${bucket.started}|${bucket.done}|${bucket.failed}`)
      .sort();
  };
  const askEndpoint = async (from: string, to: string, interval: string, timeZone: string, byAgent: boolean) => {
    const query = new URLSearchParams({ from, to, interval, timeZone, ...(byAgent ? { groupBy: 'agent' } : {}) });
    const answer = await server.request({ method: 'GET', url: `/api/v1/analytics/throughput?${query}`, token });
    expect(answer.statusCode, answer.body).toBe(200);
    const data: { periodStart: string; agentId?: string | null; created: number; started: number; done: number; failed: number }[] =
      answer.json().data;
    return data
      .map(
        (point) =>
          `${point.periodStart}|${byAgent ? (point.agentId ?? 'null') : ''}|${point.created}|${point.started}|${point.done}|${point.failed}`,
      )
      .sort();
  };

  it('answers exactly what a direct count of the events answers, for aligned and unaligned ranges, zones and splits', async () => {
    await scatterMoves(3_000);
    const rollupRows = await server.database.db.selectFrom('board_move_slots').selectAll().execute();
    expect(rollupRows.reduce((sum, row) => sum + Number(row.moves), 0)).toBe(3_000);
    const cases: [string, string, 'hour' | 'day' | 'week', string, boolean][] = [
      ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 'day', 'UTC', false],
      ['2026-01-03T05:07:13.250Z', '2026-01-29T17:52:01.999Z', 'day', 'Asia/Kolkata', true],
      ['2026-01-02T00:10:00.000Z', '2026-01-02T00:14:00.000Z', 'hour', 'UTC', false],
      ['2026-01-10T03:00:00.500Z', '2026-01-12T03:00:00.000Z', 'hour', 'America/Los_Angeles', true],
      ['2025-12-29T00:00:00.000Z', '2026-02-02T00:00:00.000Z', 'week', 'Europe/Paris', false],
    ];
    for (const [from, to, interval, timeZone, byAgent] of cases) {
      const direct = await countDirectly(from, to, interval, timeZone, byAgent);
      // A few minutes inside one quarter hour may hold nothing; every longer range holds moves.
      if (Date.parse(to) - Date.parse(from) > 3_600_000) expect(direct.length, `${from} ${to}`).toBeGreaterThan(0);
      expect(await askEndpoint(from, to, interval, timeZone, byAgent), `${from} ${to} ${interval} ${timeZone}`).toEqual(direct);
    }
  }, 120_000);

  it('counts moves made through the API in the rollup, and forgets a workspace deleted with its events', async () => {
    const created = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      token,
      payload: { title: 'rolled up', assignees: [{ kind: 'agent', id: agentId }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const moved = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${created.json().id}/status`,
      token,
      payload: { status: 'in_progress' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const rows = await server.database.db
      .selectFrom('board_move_slots')
      .select(['type', 'to_status', 'moves'])
      .where('workspace_id', '=', server.workspaceId)
      .orderBy('type')
      .execute();
    expect(rows.map((row) => ({ ...row, moves: Number(row.moves) }))).toEqual([
      { type: 'task-created', to_status: '', moves: 1 },
      { type: 'task-status-changed', to_status: 'in_progress', moves: 1 },
    ]);
    await server.database.db.deleteFrom('events').where('workspace_id', '=', server.workspaceId).execute();
    const left = await server.database.db
      .selectFrom('board_move_slots')
      .select('moves')
      .where('workspace_id', '=', server.workspaceId)
      .execute();
    expect(left.map((row) => Number(row.moves))).toEqual([0, 0]);
  });

  if (engine === 'postgres') {
    it('lets creators in one workspace commit while another creating transaction is still open (the count is spread over shards)', async () => {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let counted = false;
      // The same upsert of the same quarter hour's "task-created" count that a create runs; with a
      // single row per count this transaction's lock made every create below wait for it.
      const open = server.database.db
        .transaction()
        .execute(async (trx) => {
          await appendEvent(trx, {
            workspaceId: server.workspaceId,
            type: 'task-created',
            actor: { kind: 'user', id: server.ownerPrincipal.id },
            summary: 'created',
            data: { key: 'TASK-900', title: 'held', status: 'inbox', priority: 'medium', assignees: [], parentId: null },
            at: server.clock.now(),
          });
          counted = true;
          await held;
          throw new Error('rolled back on purpose');
        })
        .catch((error: unknown) => error);
      while (!counted) await new Promise((resolve) => setTimeout(resolve, 5));

      for (const title of ['one', 'two', 'three']) {
        const created = await server.request({ method: 'POST', url: '/api/v1/tasks', token, payload: { title } });
        expect(created.statusCode, created.body).toBe(201);
      }
      release();
      expect(await open).toBeInstanceOf(Error);

      const rows = await server.database.db
        .selectFrom('board_move_slots')
        .select(['shard', 'moves'])
        .where('workspace_id', '=', server.workspaceId)
        .where('type', '=', 'task-created')
        .execute();
      expect(rows.reduce((sum, row) => sum + Number(row.moves), 0)).toBe(3);
      for (const row of rows) expect(Number(row.shard)).toBeLessThan(16);
    });
  }
});
