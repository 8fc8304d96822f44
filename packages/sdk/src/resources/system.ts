import { endpoints, type SystemMetrics, type SystemMetricsQuery } from '@mission-control/contracts';
import type { ResourceContext } from './auth.js';

/** Each instance's own samples: CPU, memory, disk, event loop, sockets (`/system/metrics`). */
export class SystemResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.system`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** The instances and their samples over a range (the last hour by default, at most 7 days); owners and admins. */
  metrics(query: SystemMetricsQuery = {}): Promise<SystemMetrics> {
    return this.context.transport.call(endpoints.getSystemMetrics, { query });
  }
}
