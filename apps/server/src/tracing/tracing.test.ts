import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ScriptedModelServer, startScriptedModelServer } from '../../../../packages/runtime/src/test/scripted-model-server.js';
import { loadConfig } from '../config.js';
import { createInjectFetch } from '../http/inject-fetch.js';
import { AgentScheduler } from '../scheduler/agent-scheduler.js';
import { describeEachEngine } from '../test/engines.js';
import { type HttpReceiver, startHttpReceiver } from '../test/http-receiver.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { startTracing, type Tracing } from './tracing.js';

// OTLP/HTTP JSON (opentelemetry-proto's JSON mapping): only the fields the assertions read.
const attributeSchema = z.object({
  key: z.string(),
  value: z.object({ stringValue: z.string().optional(), intValue: z.union([z.string(), z.number()]).optional() }),
});
const spanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  attributes: z.array(attributeSchema).default([]),
});
const exportSchema = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: z.array(attributeSchema) }),
      scopeSpans: z.array(z.object({ spans: z.array(spanSchema) })),
    }),
  ),
});
type ExportedSpan = z.infer<typeof spanSchema>;

function attributeOf(span: ExportedSpan, key: string): string | undefined {
  const value = span.attributes.find((attribute) => attribute.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : String(value.intValue));
}

describeEachEngine('OpenTelemetry tracing', (engine) => {
  let collector: HttpReceiver;
  let tracing: Tracing | undefined;
  let server: TestServer | undefined;
  let model: ScriptedModelServer;

  beforeAll(async () => {
    model = await startScriptedModelServer();
  });
  afterAll(async () => {
    await model?.close();
  });
  beforeEach(async () => {
    collector = await startHttpReceiver(() => ({ status: 200, body: '{}', headers: { 'content-type': 'application/json' } }));
    const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`, OTEL_SERVICE_NAME: 'mc-tracing-test' });
    tracing = await startTracing(config.tracing);
    server = await createTestServer(engine, { ...(tracing ? { tracing } : {}) });
  }, 60_000);
  afterEach(async () => {
    await server?.close();
    await tracing?.shutdown();
    await collector?.close();
  });

  /** Stops the server and flushes the SDK, then answers every span the collector received. */
  async function collectSpans(): Promise<ExportedSpan[]> {
    await server?.close();
    server = undefined;
    await tracing?.shutdown();
    tracing = undefined;
    const posts = collector.requests.filter((request) => request.method === 'POST' && request.path === '/v1/traces');
    expect(posts.length).toBeGreaterThan(0);
    const exports = posts.map((post) => exportSchema.parse(JSON.parse(post.body)));
    const serviceNames = exports.flatMap((each) =>
      each.resourceSpans.map((resource) => resource.resource.attributes.find((attribute) => attribute.key === 'service.name')),
    );
    expect(new Set(serviceNames.map((attribute) => attribute?.value.stringValue))).toEqual(new Set(['mc-tracing-test']));
    return exports.flatMap((each) => each.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
  }

  function isUnder(span: ExportedSpan, ancestor: ExportedSpan, spans: ExportedSpan[]): boolean {
    const byId = new Map(spans.map((each) => [each.spanId, each]));
    for (let parent = span.parentSpanId; parent; parent = byId.get(parent)?.parentSpanId) if (parent === ancestor.spanId) return true;
    return false;
  }

  it('traces GET /api/v1/tasks/{id} as a request span with its route and status, and its statements under it without bound values', async () => {
    const current = server as TestServer;
    const created = await current.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'bound-value-never-exported' } });
    expect(created.statusCode).toBe(201);
    const task = created.json() as { id: string };
    const read = await current.request({ method: 'GET', url: `/api/v1/tasks/${task.id}` });
    expect(read.statusCode).toBe(200);
    const missing = await current.request({ method: 'GET', url: '/api/v1/tasks/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);

    const spans = await collectSpans();
    const gets = spans.filter((span) => span.name === 'GET /api/v1/tasks/:id');
    expect(gets.map((span) => attributeOf(span, 'http.response.status_code')).sort()).toEqual(['200', '404']);
    const get = gets.find((span) => attributeOf(span, 'http.response.status_code') === '200') as ExportedSpan;
    expect(attributeOf(get, 'http.route')).toBe('/api/v1/tasks/:id');
    expect(attributeOf(get, 'http.request.method')).toBe('GET');
    const statements = spans.filter((span) => span.traceId === get.traceId && span.name.startsWith('db '));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) expect(isUnder(statement, get, spans)).toBe(true);
    expect(statements.map((span) => attributeOf(span, 'db.system.name'))).toContain(engine === 'postgres' ? 'postgresql' : 'sqlite');
    expect(statements.some((span) => /\btasks\b/.test(attributeOf(span, 'db.query.text') ?? ''))).toBe(true);
    // The insert bound the title; no span carries it, nor the task's id the GET bound.
    const inserts = spans.filter(
      (span) => span.name === 'db insert' && /insert into "tasks"/.test(attributeOf(span, 'db.query.text') ?? ''),
    );
    expect(inserts.length).toBe(1);
    const body = collector.requests.map((request) => request.body).join('\n');
    expect(body).not.toContain('bound-value-never-exported');
    expect(statements.some((span) => (attributeOf(span, 'db.query.text') ?? '').includes(task.id))).toBe(false);
  });

  it('traces a built-in agent turn as a span with its model calls (provider, model, tokens) and its API requests under it', async () => {
    const current = server as TestServer;
    const { agent } = await current.createAgentWithKey({ heartbeatIntervalSeconds: 60, capabilities: ['research'] });
    const runtime = await current.request({
      method: 'PUT',
      url: `/api/v1/agents/${agent.id}/runtime`,
      payload: { runtime: 'builtin', stepLimit: 4 },
    });
    expect(runtime.statusCode).toBe(200);
    const created = await current.request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title: 'Compare vector databases', requiredCapabilities: ['research'] },
    });
    expect(created.statusCode).toBe(201);
    model.setScript((request) =>
      request.toolResultCount === 0
        ? { toolCalls: [{ name: 'claim_next_task', arguments: {} }], usage: { input: 2_000, output: 100 } }
        : { text: 'Claimed it.', usage: { input: 2_500, output: 20 } },
    );
    const scheduler = new AgentScheduler({
      context: current.services.context,
      heartbeats: current.services.heartbeats,
      agents: current.services.agents,
      agentRuntimeSettings: current.services.agentRuntimeSettings,
      agentRuns: current.services.agentRuns,
      agentUsage: current.services.agentUsage,
      apiFetch: createInjectFetch(current.app),
      models: {
        defaultEndpoint: { baseUrl: model.baseUrl, apiKey: 'test', model: 'gpt-4o-mini' },
        anthropic: undefined,
        openai: undefined,
        defaultModel: 'gpt-4o-mini',
      },
      random: () => 0.5,
      ...(tracing ? { tracing } : {}),
    });
    await scheduler.tick();
    await scheduler.drain();
    await scheduler.stop();
    expect(scheduler.stats.turns).toBe(1);
    expect(scheduler.stats.modelCalls).toBe(2);

    const spans = await collectSpans();
    const turns = spans.filter((span) => span.name === 'agent turn');
    expect(turns).toHaveLength(1);
    const turn = turns[0] as ExportedSpan;
    expect(attributeOf(turn, 'mission.agent.id')).toBe(agent.id);
    expect(attributeOf(turn, 'mission.turn.trigger')).toBe('schedule');
    const modelCalls = spans.filter((span) => span.name === 'ai.generateText.doGenerate');
    expect(modelCalls).toHaveLength(2);
    for (const call of modelCalls) {
      expect(isUnder(call, turn, spans)).toBe(true);
      expect(attributeOf(call, 'gen_ai.request.model')).toBe('gpt-4o-mini');
      expect(attributeOf(call, 'ai.model.provider')).toBeTruthy();
    }
    expect(modelCalls.map((call) => attributeOf(call, 'gen_ai.usage.input_tokens')).sort()).toEqual(['2000', '2500']);
    expect(modelCalls.map((call) => attributeOf(call, 'gen_ai.usage.output_tokens')).sort()).toEqual(['100', '20']);
    // The turn's tool call went through the API in-process: its request span sits in the turn's trace.
    const claim = spans.find((span) => span.name === 'POST /api/v1/tasks/next');
    expect(claim && isUnder(claim, turn, spans)).toBe(true);
    // Prompts and answers stay out of the spans.
    expect(collector.requests.map((request) => request.body).join('\n')).not.toContain('Compare vector databases');
  });
});

describe('OpenTelemetry tracing configuration', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT, and refuses a protocol it cannot speak with what to set instead', async () => {
    const config = loadConfig({});
    expect(config.tracing).toBeUndefined();
    expect(await startTracing(config.tracing)).toBeUndefined();
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL must be http\/json/,
    );
    const traced = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%20b,tenant=x',
    });
    expect(traced.tracing).toEqual({
      endpoint: 'http://127.0.0.1:4318',
      serviceName: 'mission-control',
      headers: { 'api-key': 'a b', tenant: 'x' },
    });
  });
});
