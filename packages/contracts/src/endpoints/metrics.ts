import { z } from 'zod';
import { defineEndpoint } from './define-endpoint.js';

export const getMetrics = defineEndpoint({
  operationId: 'getMetrics',
  method: 'GET',
  path: '/metrics',
  tag: 'health',
  auth: 'own-credential',
  summary: 'Operations metrics in the Prometheus text format',
  description:
    'For a Prometheus scraper: HTTP requests by method, route and status with latency histograms, the event stream (latest seq read, committed seq, lag), live WebSocket subscriptions, and the process (CPU, memory, event-loop lag, GC, handles). Send `Authorization: Bearer <MISSION_METRICS_TOKEN>` (set on the server for scrapers), or an owner’s or admin’s access token or API key; anything else answers 401 UNAUTHENTICATED or 403 FORBIDDEN. See docs/guides/monitoring.md for a scrape config.',
  responses: {
    200: { description: 'The metrics (text/plain; version=0.0.4)', schema: z.string(), contentType: 'text/plain; version=0.0.4' },
  },
  errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
});
