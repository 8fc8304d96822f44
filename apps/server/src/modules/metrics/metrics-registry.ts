import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceContext } from '../../core/service-context.js';
import { findLatestEventSeq } from '../../events/event.repository.js';
import type { EventStream } from '../../events/event-stream.js';

export interface MetricsSources {
  context: ServiceContext;
  /** The instance's event stream, when it runs one (the WebSocket endpoints). */
  stream?: EventStream | undefined;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** One registry per app: the process defaults and what the HTTP layer and the event stream report. */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const httpRequests = new Counter({
    name: 'mission_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'mission_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const { stream, context } = sources;
  if (stream) {
    new Gauge({
      name: 'mission_event_stream_read_seq',
      help: 'The latest event seq this instance has read and fanned out',
      registers: [registry],
      collect() {
        this.set(stream.tailer.status().latestSeq);
      },
    });
    new Gauge({
      name: 'mission_event_stream_committed_seq',
      help: 'The latest event seq committed to the database',
      registers: [registry],
      async collect() {
        this.set(await findLatestEventSeq(context.db));
      },
    });
    new Gauge({
      name: 'mission_event_stream_lag_events',
      help: 'Committed events this instance has not read yet',
      registers: [registry],
      async collect() {
        this.set(Math.max(0, (await findLatestEventSeq(context.db)) - stream.tailer.status().latestSeq));
      },
    });
    new Gauge({
      name: 'mission_websocket_subscriptions',
      help: 'Live event-stream subscriptions (WebSocket clients) on this instance',
      registers: [registry],
      collect() {
        this.set(stream.hub.subscriptionCount);
      },
    });
  }

  return {
    registry,
    /** Counts one answered request; `route` is the template (/api/v1/tasks/:id), never the raw URL. */
    observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
      const labels = { method, route, status_code: String(statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, seconds);
    },
  };
}
