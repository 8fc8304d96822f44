// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow strings hold ${…} CEL interpolation, not JS templates
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { type HttpReceiver, startHttpReceiver } from '../../test/http-receiver.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

interface RunBody {
  id: string;
  status: string;
  error: string | null;
  steps: { stepId: string; status: string; output: unknown; error: string | null; attempts: number }[];
}

describeEachEngine('workflow http steps', (engine) => {
  let server: TestServer;
  let receiver: HttpReceiver;
  beforeEach(async () => {
    server = await createTestServer(engine, { integrations: { allowPrivateTargets: true, random: () => 0.5 } });
    receiver = await startHttpReceiver(() => ({ status: 200, body: 'thanks' }));
  });
  afterEach(async () => {
    vi.useRealTimers();
    await server.close();
    await receiver.close();
  });

  const startHttpRun = async (step: Record<string, unknown>, on: TestServer = server) => {
    const created = await on.request({
      method: 'POST',
      url: '/api/v1/workflows',
      payload: {
        name: 'call-out',
        inputs: { topic: { type: 'string', required: true } },
        steps: [{ id: 'call', kind: 'http', url: receiver.url, ...step }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const run = await on.request({
      method: 'POST',
      url: `/api/v1/workflows/${created.json().id}/runs`,
      payload: { inputs: { topic: 'tides' } },
    });
    expect(run.statusCode, run.body).toBe(201);
    return run.json() as RunBody;
  };
  const getRun = async (runId: string, on: TestServer = server) =>
    (await on.request({ method: 'GET', url: `/api/v1/workflow-runs/${runId}` })).json() as RunBody;
  /** The sender sends what is due, then the engine moves the run on. */
  const deliver = async (on: TestServer = server) => {
    await on.services.integrationsWorker.tick();
    await on.services.workflowEngine.tick();
  };

  it('sends one signed request that verifies with the workspace secret; the step output is the status and a body excerpt', async () => {
    const run = await startHttpRun({ method: 'PUT', body: { topic: '${inputs.topic}', run: '${run.id}' } });
    expect(run.steps[0]?.status).toBe('running');
    await deliver();
    await deliver();

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request?.method).toBe('PUT');
    expect(JSON.parse(request?.body ?? '')).toEqual({ topic: 'tides', run: run.id });
    const secret = await server.request({ method: 'GET', url: '/api/v1/workflows/signing-secret' });
    expect(secret.statusCode, secret.body).toBe(200);
    expect(secret.json().secret).toMatch(/^whsec_/);
    // standardwebhooks checks webhook-timestamp against Date.now(): let Date follow the test clock for the check.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(server.clock.now());
    expect(new Webhook(secret.json().secret).verify(request?.body ?? '', request?.headers ?? {})).toEqual({ topic: 'tides', run: run.id });
    expect(() =>
      new Webhook(`whsec_${Buffer.from('another secret').toString('base64')}`).verify(request?.body ?? '', request?.headers ?? {}),
    ).toThrow();
    vi.useRealTimers();

    const finished = await getRun(run.id);
    expect(finished.status).toBe('completed');
    expect(finished.steps[0]).toMatchObject({ status: 'done', output: { statusCode: 200, body: 'thanks', attempts: 1 } });
    const stored = await server.database.db.selectFrom('outbound_deliveries').select(['channel', 'status', 'attempt_count']).execute();
    expect(stored).toEqual([{ channel: 'workflow-http', status: 'succeeded', attempt_count: 1 }]);
  });

  it('retries a failing target as often as retries says, on the sender schedule, then succeeds', async () => {
    receiver.answerWith((_request, index) => (index === 0 ? { status: 500, body: 'busy' } : { status: 202, body: 'accepted' }));
    const run = await startHttpRun({ retries: 1 });
    await deliver();
    expect((await getRun(run.id)).steps[0]?.status).toBe('running');
    expect(receiver.requests).toHaveLength(1);
    // The default body names the run, the step and the inputs.
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toMatchObject({ stepId: 'call', inputs: { topic: 'tides' } });

    server.clock.advance(10_000);
    await deliver();
    await deliver();
    expect(receiver.requests).toHaveLength(2);
    const finished = await getRun(run.id);
    expect(finished.status).toBe('completed');
    expect(finished.steps[0]?.output).toEqual({ statusCode: 202, body: 'accepted', attempts: 2 });
  });

  it('fails the step and the run once the retries are spent, and sends nothing more', async () => {
    receiver.answerWith(() => ({ status: 503, body: 'down for maintenance' }));
    const run = await startHttpRun({});
    await deliver();
    await deliver();
    const failed = await getRun(run.id);
    expect(failed.status).toBe('failed');
    expect(failed.steps[0]).toMatchObject({
      status: 'failed',
      error: 'the target answered HTTP 503 (1 attempt)',
      output: { statusCode: 503, body: 'down for maintenance', attempts: 1 },
    });
    server.clock.advance(3_600_000);
    await deliver();
    expect(receiver.requests).toHaveLength(1);
    const [delivery] = await server.database.db.selectFrom('outbound_deliveries').select(['status']).execute();
    expect(delivery?.status).toBe('dead');
  });

  describe('with the SSRF guard on', () => {
    let guarded: TestServer;
    beforeEach(async () => {
      guarded = await createTestServer(engine);
    });
    afterEach(async () => {
      await guarded.close();
    });

    it('refuses a private address without connecting and fails the step saying why', async () => {
      const run = await startHttpRun({ retries: 3 }, guarded);
      await deliver(guarded);
      await deliver(guarded);
      const failed = await getRun(run.id, guarded);
      expect(failed.status).toBe('failed');
      expect(failed.steps[0]?.error).toBe('the request was refused: 127.0.0.1 is a private or reserved address');
      expect(receiver.requests).toHaveLength(0);
    });
  });
});

describe('workflow signing secret', () => {
  it('is only for people (an agent key answers 403)', async () => {
    const server = await createTestServer('sqlite');
    try {
      const agent = await server.createAgentWithKey({ name: 'caller' });
      const answer = await server.request({ method: 'GET', url: '/api/v1/workflows/signing-secret', token: agent.apiKey });
      expect(answer.statusCode).toBe(403);
    } finally {
      await server.close();
    }
  });
});
