import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

const scraperToken = 'scraper-token-0123456789abcdef';

describeEachEngine('GET /metrics', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine, { config: { metricsToken: scraperToken } });
  });
  afterEach(async () => {
    await server.close();
  });

  const scrape = (token: string | null) => server.request({ method: 'GET', url: '/metrics', token });

  it('serves the Prometheus text format that the Prometheus parser reads, with HTTP, event-stream and process metrics', async () => {
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'counted' } });
    const task = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'counted too' } });
    await server.request({ method: 'GET', url: `/api/v1/tasks/${task.json().id}` });
    await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-999' });

    const answer = await scrape(scraperToken);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(answer.body);
    const family = (name: string) => families.find((candidate) => candidate.name === name);

    const requests = family('mission_http_requests_total');
    expect(requests?.type).toBe('COUNTER');
    const count = (method: string, route: string, status: string) =>
      Number(
        requests?.metrics.find(
          (metric) => metric.labels?.method === method && metric.labels.route === route && metric.labels.status_code === status,
        )?.value ?? 0,
      );
    expect(count('POST', '/api/v1/tasks', '201')).toBe(2);
    // Route templates, never raw ids: one series for every task.
    expect(count('GET', '/api/v1/tasks/:id', '200')).toBe(1);
    expect(count('GET', '/api/v1/tasks/:id', '404')).toBe(1);
    expect(requests?.metrics.some((metric) => metric.labels?.route?.includes(task.json().id))).toBe(false);

    const latency = family('mission_http_request_duration_seconds');
    expect(latency?.type).toBe('HISTOGRAM');
    expect(latency?.metrics[0]?.buckets?.['+Inf']).toBeDefined();
    // The parser folds a labelled histogram's series into one, so its per-series lines are read as written.
    expect(answer.body).toContain('mission_http_request_duration_seconds_count{method="POST",route="/api/v1/tasks",status_code="201"} 2\n');
    expect(answer.body).toContain(
      'mission_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/api/v1/tasks",status_code="201"} 2\n',
    );

    expect(family('mission_event_stream_committed_seq')?.type).toBe('GAUGE');
    expect(Number(family('mission_event_stream_committed_seq')?.metrics[0]?.value)).toBeGreaterThan(0);
    expect(family('mission_event_stream_lag_events')).toBeDefined();
    expect(family('mission_websocket_subscriptions')?.metrics[0]?.value).toBe('0');
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_gc_duration_seconds',
    ]) {
      expect(family(name), name).toBeDefined();
    }
  });

  it('answers to an owner’s or admin’s credential, 403 FORBIDDEN to members and agents, 401 without one', async () => {
    expect((await scrape(server.ownerToken)).statusCode).toBe(200);
    const admin = await server.addMember({ email: 'admin@example.com', role: 'admin' });
    expect((await scrape(admin.token)).statusCode).toBe(200);
    const member = await server.addMember({ email: 'member@example.com', role: 'member' });
    const { apiKey } = await server.createAgentWithKey();
    for (const token of [member.token, apiKey]) {
      const refused = await scrape(token);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('FORBIDDEN');
    }
    const anonymous = await scrape(null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    expect((await scrape('scraper-token-0123456789abcdeX')).statusCode).toBe(401);
  });
});
