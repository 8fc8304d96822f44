import fs from 'node:fs';
import path from 'node:path';
import type { TurnRecord } from '@mission-control/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonColumn } from '../../db/json-column.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../../test/test-server.js';
import { createRetentionService } from './retention.service.js';

const dayMs = 24 * 60 * 60 * 1000;
const boundary = 'retention-test-boundary';

function multipart(name: string, content: Buffer) {
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

describeEachEngine('the retention purge', (engine) => {
  let server: TestServer;
  let start: number;
  beforeEach(async () => {
    server = await createTestServer(engine);
    start = server.clock.now().getTime();
  });
  afterEach(async () => {
    await server.close();
  });

  /** Signs the owner in again (access tokens last 15 minutes, and the tests move the clock by days). */
  async function signIn(workspaceId?: string): Promise<string> {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: ownerEmail, password: ownerPassword, ...(workspaceId ? { workspaceId } : {}) },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().accessToken as string;
  }

  async function json<T = Record<string, unknown>>(
    options: Parameters<TestServer['request']>[0],
    status: number,
  ): Promise<T & Record<string, unknown>> {
    const response = await server.request(options);
    expect(response.statusCode, response.body).toBe(status);
    return response.json();
  }

  const createTask = (title: string, token?: string, extra: Record<string, unknown> = {}) =>
    json<{ id: string; key: string }>(
      { method: 'POST', url: '/api/v1/tasks', payload: { title, ...extra }, ...(token ? { token } : {}) },
      201,
    );
  const post = (taskKey: string, payload: Record<string, unknown>, token?: string) =>
    json<{ id: string; createdAt: string }>(
      { method: 'POST', url: `/api/v1/tasks/${taskKey}/messages`, payload, ...(token ? { token } : {}) },
      201,
    );
  const cancel = (taskKey: string, token?: string) =>
    json({ method: 'POST', url: `/api/v1/tasks/${taskKey}/status`, payload: { status: 'cancelled' }, ...(token ? { token } : {}) }, 200);
  const upload = (url: string, name: string, content: Buffer) =>
    json<{ id: string; sha256: string }>({ method: 'POST', url, ...multipart(name, content) }, 201);
  const setRetention = (payload: Record<string, unknown>, token?: string) =>
    json({ method: 'PUT', url: '/api/v1/workspace/retention', payload, ...(token ? { token } : {}) }, 200);

  const db = () => server.database.db;
  const messageIds = async (workspaceId: string) =>
    (await db().selectFrom('messages').select('id').where('workspace_id', '=', workspaceId).orderBy('id').execute()).map((row) => row.id);
  const hasBytes = async (sha256: string) =>
    engine === 'postgres'
      ? (await db().selectFrom('attachment_contents').select('sha256').where('sha256', '=', sha256).executeTakeFirst()) !== undefined
      : fs.existsSync(path.join(server.attachmentDirectory, sha256));
  const eventOf = async (type: 'message-posted' | 'notification-created', id: string, key: 'messageId' | 'notificationId') => {
    const rows = await db().selectFrom('events').selectAll().where('type', '=', type).execute();
    const row = rows.find((event) => (parseJsonColumn(event.data) as Record<string, unknown>)[key] === id);
    return row ? { summary: row.summary, data: parseJsonColumn(row.data) as Record<string, unknown> } : undefined;
  };
  const purgeAudit = () => db().selectFrom('audit_entries').selectAll().where('action', '=', 'retention.purged').orderBy('id').execute();

  describe('messages', () => {
    it('deletes old messages of finished tasks with their reactions, attachments, quoting notifications and feed excerpts, in batches, and nothing else', async () => {
      const jarvis = await server.createAgentWithKey({ name: 'jarvis' });
      const otherToken = await server.createOtherWorkspaceToken();
      const otherWorkspaceId = (await json<{ id: string }>({ method: 'GET', url: '/api/v1/workspace', token: otherToken }, 200)).id;

      // Day 0. A task that will be cancelled, and one that stays open.
      const finished = await createTask('Write the launch post', undefined, { assignees: [{ kind: 'agent', id: jarvis.agent.id }] });
      const open = await createTask('Keep the lights on');
      const root = await post(finished.key, { content: 'Draft: the zebra plan' }, jarvis.apiKey);
      const reply = await post(finished.key, { content: 'Looks fine, ship the zebra plan', replyToId: root.id });
      const mention = await post(finished.key, { content: '@jarvis the zebra numbers please' });
      await json({ method: 'POST', url: `/api/v1/messages/${root.id}/reactions`, payload: { emoji: '👍' } }, 200);
      const shared = Buffer.from('the same bytes on an open task and an old message');
      const onlyHere = Buffer.from('bytes only this old message has');
      const sharedOnMessage = await upload(`/api/v1/messages/${reply.id}/attachments`, 'shared.txt', shared);
      const uniqueOnMessage = await upload(`/api/v1/messages/${mention.id}/attachments`, 'unique.txt', onlyHere);
      const onOpenTask = await upload(`/api/v1/tasks/${open.key}/attachments`, 'shared.txt', shared);
      const openThread = await post(open.key, { content: '@jarvis the zebra runbook is here' });
      const otherTask = await createTask('Elsewhere', otherToken);
      const otherMessage = await post(otherTask.key, { content: 'zebra talk in another workspace' }, otherToken);
      await cancel(otherTask.key, otherToken);
      await cancel(finished.key);

      // Day 31: a newer reply on the finished task stays, though it answers an old message.
      server.clock.set(new Date(start + 31 * dayMs));
      const ownerToken = await signIn();
      const newer = await post(finished.key, { content: 'One more thing', replyToId: root.id }, ownerToken);
      const search = async () =>
        (
          await json<{ hits: { id: string }[] }>({ method: 'GET', url: '/api/v1/search?q=zebra&types=message', token: ownerToken }, 200)
        ).hits.map((hit) => hit.id);
      expect((await search()).sort()).toEqual([root.id, reply.id, mention.id, openThread.id].sort());

      await setRetention({ messagesDays: 30 }, ownerToken);
      await setRetention({ messagesDays: 90 }, await signIn(otherWorkspaceId));
      const notificationsBefore = await db().selectFrom('notifications').selectAll().orderBy('id').execute();
      const quoting = notificationsBefore.filter(
        (row) => row.task_id === finished.id && (row.reason === 'mentioned' || row.reason === 'reply') && row.created_at < newer.createdAt,
      );
      expect(quoting.map((row) => row.reason).sort()).toEqual(['mentioned', 'reply']);

      // Two rows per transaction, so every kind needs several batches.
      const retention = createRetentionService(server.services.context, server.services, { batchSize: 2 });
      const report = await retention.purgeExpiredContent();
      expect(report).toEqual({
        messages: 3,
        reactions: 1,
        attachments: 2,
        attachmentFiles: 1,
        notifications: 2,
        runs: 0,
        runSteps: 0,
        // The feed's copies go by their own age, open task or not (the open task's message itself stays):
        // four message excerpts and three notifications quoting them.
        feedEntries: 7,
      });

      expect(await messageIds(server.workspaceId)).toEqual([openThread.id, newer.id].sort());
      expect(await messageIds(otherWorkspaceId)).toEqual([otherMessage.id]);
      const kept = await db().selectFrom('messages').selectAll().where('id', '=', newer.id).executeTakeFirstOrThrow();
      expect(kept.reply_to_id).toBeNull();
      expect(await db().selectFrom('message_reactions').selectAll().execute()).toEqual([]);
      const attachmentsLeft = await db().selectFrom('attachments').select('id').execute();
      expect(attachmentsLeft.map((row) => row.id)).toEqual([onOpenTask.id]);
      expect(sharedOnMessage.sha256).toBe(onOpenTask.sha256);
      expect(await hasBytes(onOpenTask.sha256)).toBe(true);
      expect(await hasBytes(uniqueOnMessage.sha256)).toBe(false);
      const download = await server.request({ method: 'GET', url: `/api/v1/attachments/${onOpenTask.id}`, token: ownerToken });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(shared)).toBe(true);
      expect(await search()).toEqual([openThread.id]);

      const notificationsAfter = await db().selectFrom('notifications').selectAll().orderBy('id').execute();
      expect(notificationsAfter.map((row) => row.id)).toEqual(
        notificationsBefore.filter((row) => !quoting.some((gone) => gone.id === row.id)).map((row) => row.id),
      );
      // The assignment, the mention on the open task and the notification of the newer reply stay.
      expect(notificationsAfter.map((row) => `${row.reason}:${row.task_id === open.id ? 'open' : 'finished'}`).sort()).toEqual([
        'assigned:finished',
        'mentioned:open',
        'reply:finished',
      ]);

      expect((await eventOf('message-posted', root.id, 'messageId'))?.data.excerpt).toBe('');
      expect((await eventOf('message-posted', reply.id, 'messageId'))?.summary).toBe('user Owner replied on TASK-1');
      expect((await eventOf('message-posted', openThread.id, 'messageId'))?.data.excerpt).toBe('');
      expect((await eventOf('message-posted', newer.id, 'messageId'))?.data.excerpt).toBe('One more thing');
      expect((await eventOf('message-posted', otherMessage.id, 'messageId'))?.data.excerpt).toBe('zebra talk in another workspace');
      for (const gone of quoting) {
        expect((await eventOf('notification-created', gone.id, 'notificationId'))?.summary).toBe(`agent notified (${gone.reason})`);
      }

      const [entry] = await purgeAudit();
      expect(entry).toMatchObject({
        workspace_id: server.workspaceId,
        actor_kind: 'system',
        actor_id: null,
        target_kind: 'workspace',
        summary: 'data retention deleted 3 messages older than 30 days, 2 notifications quoting old messages',
      });
      expect(parseJsonColumn(entry?.after_fields)).toMatchObject({
        messages: 3,
        attachments: 2,
        messagesDays: 30,
        messagesBefore: new Date(start + dayMs).toISOString(),
      });

      // Nothing is left to do: the next purge deletes nothing and records nothing.
      expect(Object.values(await retention.purgeExpiredContent()).every((count) => count === 0)).toBe(true);
      expect(await purgeAudit()).toHaveLength(1);
    });

    it('deletes an open task’s old thread once the task is finished, and nothing while nobody set a retention', async () => {
      const task = await createTask('Long haul');
      const old = await post(task.key, { content: 'Started' });
      server.clock.set(new Date(start + 400 * dayMs));
      const token = await signIn();
      expect((await server.services.retention.purgeExpiredContent()).messages).toBe(0);

      await setRetention({ messagesDays: 365 }, token);
      expect((await server.services.retention.purgeExpiredContent()).messages).toBe(0);
      expect(await messageIds(server.workspaceId)).toEqual([old.id]);

      await cancel(task.key, token);
      expect((await server.services.retention.purgeExpiredContent()).messages).toBe(1);
      expect(await messageIds(server.workspaceId)).toEqual([]);
    });
    it('drains a backlog larger than one pulse over the next pulses, and reads the feed from where the last pulse stopped', async () => {
      const task = await createTask('Chatty');
      for (const content of ['one', 'two', 'three']) await post(task.key, { content });
      await cancel(task.key);
      server.clock.set(new Date(start + 31 * dayMs));
      await setRetention({ messagesDays: 30 }, await signIn());
      const retention = createRetentionService(server.services.context, server.services, { batchSize: 1, maxBatchesPerPulse: 1 });
      const pulses = [];
      for (let pulse = 0; pulse < 4; pulse += 1) {
        const report = await retention.purgeExpiredContent();
        pulses.push([report.messages, report.feedEntries]);
        server.clock.advance(60 * 60_000);
      }
      // The feed has no cap: the first pulse blanks the three excerpts, the next ones find nothing new.
      expect(pulses).toEqual([
        [1, 3],
        [1, 0],
        [1, 0],
        [0, 0],
      ]);
      expect(await messageIds(server.workspaceId)).toEqual([]);
      const stored = await db().selectFrom('retention_settings').selectAll().executeTakeFirstOrThrow();
      // 30 days before the fourth pulse (day 31 plus three hours).
      expect(stored.messages_feed_redacted_before).toBe(new Date(start + dayMs + 3 * 60 * 60_000).toISOString());
      expect(stored.runs_feed_redacted_before).toBeNull();
      expect(await purgeAudit()).toHaveLength(3);
    });
  });

  describe('runs', () => {
    async function recordRun(
      agent: { id: string; name: string },
      workspaceId: string,
      end: { outcome: TurnRecord['outcome']; error?: string } | null,
    ): Promise<string> {
      const runs = server.services.agentRuns;
      const runId = await runs.startRun({
        workspaceId,
        agentId: agent.id,
        agentName: agent.name,
        taskId: null,
        trigger: 'schedule',
        provider: 'openai',
        model: 'gpt-test',
      });
      const reference = { id: runId, workspaceId, agentId: agent.id, agentName: agent.name, taskId: null };
      const at = server.clock.now().toISOString();
      await runs.recordStep(reference, {
        kind: 'model',
        index: 0,
        text: 'Secret plan: move the zebras',
        finishReason: 'tool_calls',
        tokensIn: 100,
        tokensOut: 20,
        at,
      });
      await runs.recordStep(reference, {
        kind: 'tool-call',
        index: 1,
        toolName: 'list_my_work',
        arguments: {},
        result: '[]',
        isError: false,
        at,
      });
      if (end) {
        await runs.finishRun(reference, {
          provider: 'openai',
          model: 'gpt-test',
          prompt: { system: 'You are jarvis', prompt: 'What is waiting for you?' },
          output: 'The zebras moved',
          steps: [],
          tokensIn: 100,
          tokensOut: 20,
          costMicroDollars: 1234,
          durationMs: 900,
          modelCalls: 1,
          outcome: end.outcome,
          error: end.error ?? null,
          focusTaskId: null,
        });
      }
      return runId;
    }

    const runRow = (id: string) => db().selectFrom('agent_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const stepsOf = async (id: string) =>
      (await db().selectFrom('agent_run_steps').select('step_index').where('run_id', '=', id).execute()).length;
    const stepSummaries = async (runId: string) =>
      (await db().selectFrom('events').selectAll().where('type', 'in', ['run-step', 'run-failed']).orderBy('seq').execute())
        .filter((event) => (parseJsonColumn(event.data) as { runId: string }).runId === runId)
        .map((event) => event.summary);

    it('deletes old transcripts and keeps every run’s numbers, so usage and budgets add up as before', async () => {
      const { agent } = await server.createAgentWithKey({ name: 'jarvis' });
      const otherToken = await server.createOtherWorkspaceToken();
      const otherWorkspaceId = (await json<{ id: string }>({ method: 'GET', url: '/api/v1/workspace', token: otherToken }, 200)).id;

      const oldRun = await recordRun(agent, server.workspaceId, { outcome: 'failed', error: 'model said: the zebra secret' });
      const stillRunning = await recordRun(agent, server.workspaceId, null);
      const otherRun = await recordRun(agent, otherWorkspaceId, { outcome: 'completed' });
      server.clock.set(new Date(start + 31 * dayMs));
      const newRun = await recordRun(agent, server.workspaceId, { outcome: 'completed' });
      const token = await signIn();
      const usageUrl = `/api/v1/usage?from=${encodeURIComponent(new Date(start - dayMs).toISOString())}&to=${encodeURIComponent(new Date(start + 32 * dayMs).toISOString())}`;
      const usageBefore = await json({ method: 'GET', url: usageUrl, token }, 200);
      expect(usageBefore.total).toMatchObject({ runs: 3, costMicroDollars: 2468 });
      expect(await stepSummaries(oldRun)).toEqual([
        'jarvis: Secret plan: move the zebras',
        'jarvis called list_my_work',
        "jarvis's turn failed: model said: the zebra secret",
      ]);

      await setRetention({ runsDays: 30 }, token);
      const report = await createRetentionService(server.services.context, server.services, { batchSize: 1 }).purgeExpiredContent();
      // The feed's copies go by their own age: the old run's model step and error, and the model step of the run still going.
      expect(report).toMatchObject({ runs: 1, runSteps: 2, messages: 0, feedEntries: 3 });

      const purged = await runRow(oldRun);
      expect(purged).toMatchObject({ status: 'failed', output: '', error: null, tokens_in: 100, tokens_out: 20, model_calls: 1 });
      expect(Number(purged.cost_micro_dollars)).toBe(1234);
      expect(purged.transcript_deleted_at).toBe(server.clock.now().toISOString());
      expect(parseJsonColumn(purged.prompt)).toEqual({ system: '', prompt: '' });
      expect(await stepsOf(oldRun)).toBe(0);
      const detail = await json<{ steps: unknown[]; prompt: unknown; costMicroDollars: number }>(
        { method: 'GET', url: `/api/v1/runs/${oldRun}`, token },
        200,
      );
      expect(detail).toMatchObject({ steps: [], prompt: { system: '', prompt: '' }, costMicroDollars: 1234, output: '' });
      expect(await stepSummaries(oldRun)).toEqual([
        'jarvis: model step (text deleted by data retention)',
        'jarvis called list_my_work',
        "jarvis's turn failed (error deleted by data retention)",
      ]);

      // A run still going, a newer run and another workspace's run keep their transcripts.
      expect(await stepsOf(stillRunning)).toBe(2);
      expect(await stepSummaries(stillRunning)).toEqual([
        'jarvis: model step (text deleted by data retention)',
        'jarvis called list_my_work',
      ]);
      expect(await stepSummaries(newRun)).toEqual(['jarvis: Secret plan: move the zebras', 'jarvis called list_my_work']);
      expect((await runRow(stillRunning)).transcript_deleted_at).toBeNull();
      expect(await runRow(newRun)).toMatchObject({ output: 'The zebras moved', transcript_deleted_at: null });
      expect(await stepsOf(newRun)).toBe(2);
      expect(await runRow(otherRun)).toMatchObject({ output: 'The zebras moved', transcript_deleted_at: null });
      expect(await stepsOf(otherRun)).toBe(2);

      expect(await json({ method: 'GET', url: usageUrl, token }, 200)).toEqual(usageBefore);
      const [entry] = await purgeAudit();
      expect(entry?.summary).toBe('data retention deleted 1 run transcripts older than 30 days');
      expect(Object.values(await server.services.retention.purgeExpiredContent()).every((count) => count === 0)).toBe(true);
    });
  });
});
