import fs from 'node:fs';
import type { SqlRunner } from './bench-database.js';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on every Linux the bench runs on. */
const ticksPerSecond = 100;

/** User + system CPU time of one process so far, in µs (0 when it is gone or /proc is missing). */
export function processCpuMicros(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return ((userTicks + systemTicks) * 1_000_000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

export interface CpuSample {
  server: number;
  database: number;
  /** CPU µs of each PostgreSQL backend, by pid. */
  backends?: Map<number, number>;
}

/**
 * CPU spent by the server process and, on PostgreSQL, by every backend connected to the bench
 * database (the server's pool and listeners; not the runner's own connection).
 */
export function cpuMeter(serverPid: number, runner?: SqlRunner): { sample(): Promise<CpuSample> } {
  return {
    async sample() {
      let database = 0;
      const backends = new Map<number, number>();
      if (runner) {
        const rows = await runner.query('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
        for (const row of rows) {
          const cpu = processCpuMicros(Number(row.pid));
          backends.set(Number(row.pid), cpu);
          database += cpu;
        }
      }
      return { server: processCpuMicros(serverPid), database, backends };
    },
  };
}

/** CPU µs per request between two samples: server, database backends, and their sum. */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuSample & { total: number } {
  const server = (after.server - before.server) / Math.max(1, requests);
  // Per backend: one that left during the run is not subtracted, one that came is counted from 0.
  let databaseMicros = after.database - before.database;
  if (after.backends && before.backends) {
    databaseMicros = 0;
    for (const [pid, cpu] of after.backends) databaseMicros += cpu - (before.backends.get(pid) ?? 0);
  }
  const database = databaseMicros / Math.max(1, requests);
  return { server, database, total: server + database };
}
