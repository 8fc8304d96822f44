import { healthSchema } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import type { HealthProbeResult, SystemInstanceIdentity, SystemService } from './system.service.js';
import type { SystemProbe } from './system-probe.js';

export interface SystemSamplerOptions {
  system: Pick<SystemService, 'recordSystemSample' | 'recordHealthSample' | 'compactSamples'>;
  instance: SystemInstanceIdentity;
  probe: SystemProbe;
  /** The instance's own app: the health probe goes through its whole HTTP stack. */
  app: Pick<FastifyInstance, 'inject'>;
}

/** The jobs each instance runs on itself: a system sample every 10 s, a health probe every minute. */
export function createSystemSampler(options: SystemSamplerOptions) {
  const { system, instance, probe, app } = options;

  /** GET /api/health through the instance's HTTP stack, timed: the API answered, and what it says of its dependencies. */
  async function probeHealth(): Promise<HealthProbeResult> {
    const started = performance.now();
    try {
      const response = await app.inject({ method: 'GET', url: '/api/health' });
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const report = healthSchema.safeParse(response.json());
      if (!report.success) return { apiUp: false, apiLatencyMs: null, databaseUp: false, eventStreamUp: null, redisUp: null };
      const health = report.data;
      return {
        apiUp: response.statusCode === 200,
        apiLatencyMs: latencyMs,
        databaseUp: health.database.status === 'up',
        eventStreamUp: health.eventStream ? health.eventStream.status === 'up' : null,
        redisUp: health.redis ? health.redis.status === 'up' : null,
      };
    } catch {
      return { apiUp: false, apiLatencyMs: null, databaseUp: false, eventStreamUp: null, redisUp: null };
    }
  }

  return {
    sampleSystem: () => system.recordSystemSample(instance, probe.read()),
    sampleHealth: async () => system.recordHealthSample(instance, await probeHealth()),
    compact: () => system.compactSamples(),
    probeHealth,
  };
}
