import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What one instance measures of itself; the service stamps it with the clock and the instance. */
export interface SystemReading {
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  diskFreeBytes: number | null;
  diskTotalBytes: number | null;
  eventLoopDelayMs: number;
  eventLoopDelayP99Ms: number;
  websocketClients: number;
  dbPoolTotal: number | null;
  dbPoolIdle: number | null;
  dbPoolWaiting: number | null;
}

export interface SystemProbeSources {
  /** The data directory: its file system's free space is reported. */
  dataDirectory: string;
  websocketClients?: () => number;
  poolStats?: (() => { total: number; idle: number; waiting: number }) | undefined;
}

export type SystemProbe = ReturnType<typeof createSystemProbe>;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Reads the process: CPU time over wall time and event-loop delay since the previous reading
 * (perf_hooks' histogram, reset at each reading), memory, the data directory's free space
 * (fs.statfs) and the sockets and pool the sources report.
 */
export function createSystemProbe(sources: SystemProbeSources) {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  let previousCpu = process.cpuUsage();
  let previousWall = performance.now();

  function readDisk(): { free: number | null; total: number | null } {
    try {
      const stats = fs.statfsSync(sources.dataDirectory);
      return { free: stats.bavail * stats.bsize, total: stats.blocks * stats.bsize };
    } catch {
      return { free: null, total: null };
    }
  }

  return {
    read(): SystemReading {
      const cpu = process.cpuUsage(previousCpu);
      const wall = performance.now();
      const elapsedMs = Math.max(wall - previousWall, 1);
      previousCpu = process.cpuUsage();
      previousWall = wall;
      const memory = process.memoryUsage();
      const disk = readDisk();
      const mean = Number.isFinite(delay.mean) ? delay.mean / 1e6 : 0;
      const p99 = delay.count > 0 ? delay.percentile(99) / 1e6 : 0;
      delay.reset();
      const pool = sources.poolStats?.();
      return {
        cpuPercent: round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100),
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        diskFreeBytes: disk.free,
        diskTotalBytes: disk.total,
        eventLoopDelayMs: round(mean),
        eventLoopDelayP99Ms: round(p99),
        websocketClients: sources.websocketClients?.() ?? 0,
        dbPoolTotal: pool?.total ?? null,
        dbPoolIdle: pool?.idle ?? null,
        dbPoolWaiting: pool?.waiting ?? null,
      };
    },
    stop(): void {
      delay.disable();
    },
  };
}
