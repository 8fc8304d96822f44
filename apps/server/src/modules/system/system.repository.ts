import { type Insertable, sql } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { HealthSampleTable, SystemSampleTable } from '../../db/schema.js';

/** Instance-wide rows (no workspace): what each instance measured of itself. Times in epoch milliseconds. */

export const rawResolutionSeconds = 10;
export const averagedResolutionSeconds = 300;

export interface SystemSampleRow {
  instanceId: string;
  resolutionSeconds: number;
  sampledAt: number;
  hostname: string;
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

const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export async function insertSystemSample(executor: DatabaseExecutor, row: Insertable<SystemSampleTable>): Promise<void> {
  await executor
    .insertInto('system_samples')
    .values(row)
    .onConflict((conflict) => conflict.columns(['instance_id', 'resolution_seconds', 'sampled_at']).doNothing())
    .execute();
}

/** Samples of [from, to) at every resolution, oldest first. */
export async function listSystemSamples(executor: DatabaseExecutor, from: number, to: number): Promise<SystemSampleRow[]> {
  const rows = await executor
    .selectFrom('system_samples')
    .selectAll()
    .where('sampled_at', '>=', from)
    .where('sampled_at', '<', to)
    .orderBy('sampled_at')
    .orderBy('instance_id')
    .orderBy('resolution_seconds')
    .execute();
  return rows.map((row) => ({
    instanceId: row.instance_id,
    resolutionSeconds: Number(row.resolution_seconds),
    sampledAt: Number(row.sampled_at),
    hostname: row.hostname,
    cpuPercent: Number(row.cpu_percent),
    rssBytes: Number(row.rss_bytes),
    heapUsedBytes: Number(row.heap_used_bytes),
    heapTotalBytes: Number(row.heap_total_bytes),
    diskFreeBytes: numberOrNull(row.disk_free_bytes),
    diskTotalBytes: numberOrNull(row.disk_total_bytes),
    eventLoopDelayMs: Number(row.event_loop_delay_ms),
    eventLoopDelayP99Ms: Number(row.event_loop_delay_p99_ms),
    websocketClients: Number(row.websocket_clients),
    dbPoolTotal: numberOrNull(row.db_pool_total),
    dbPoolIdle: numberOrNull(row.db_pool_idle),
    dbPoolWaiting: numberOrNull(row.db_pool_waiting),
  }));
}

/** Each instance that sampled itself since `since`, with its latest sample time. */
export async function listSampledInstances(
  executor: DatabaseExecutor,
  since: number,
): Promise<{ instanceId: string; hostname: string; lastSeenAt: number }[]> {
  const rows = await executor
    .selectFrom('system_samples')
    .select(['instance_id', (eb) => eb.fn.max('hostname').as('hostname'), (eb) => eb.fn.max('sampled_at').as('last_seen_at')])
    .where('sampled_at', '>=', since)
    .groupBy('instance_id')
    .execute();
  return rows
    .map((row) => ({ instanceId: row.instance_id, hostname: String(row.hostname), lastSeenAt: Number(row.last_seen_at) }))
    .sort((left, right) => right.lastSeenAt - left.lastSeenAt || left.instanceId.localeCompare(right.instanceId));
}

const averagedColumns = [
  'cpu_percent',
  'rss_bytes',
  'heap_used_bytes',
  'heap_total_bytes',
  'disk_free_bytes',
  'disk_total_bytes',
  'event_loop_delay_ms',
  'event_loop_delay_p99_ms',
  'websocket_clients',
  'db_pool_total',
  'db_pool_idle',
  'db_pool_waiting',
] as const;

/**
 * Folds raw samples older than `before` (a multiple of 5 minutes) into one average row per
 * instance and 5-minute bucket, then deletes them. A bucket already folded keeps its row.
 */
export async function downsampleSystemSamples(executor: DatabaseExecutor, before: number): Promise<number> {
  const bucketMs = averagedResolutionSeconds * 1000;
  const bucket = sql<number>`sampled_at - (sampled_at % ${sql.lit(bucketMs)})`;
  await executor
    .insertInto('system_samples')
    .columns(['instance_id', 'resolution_seconds', 'sampled_at', 'hostname', ...averagedColumns])
    .expression(
      executor
        .selectFrom('system_samples')
        .select((eb) => [
          'instance_id',
          sql<number>`${sql.lit(averagedResolutionSeconds)}`.as('resolution_seconds'),
          bucket.as('bucket'),
          eb.fn.max('hostname').as('hostname'),
          ...averagedColumns.map((column) => eb.fn.avg(column).as(column)),
        ])
        .where('resolution_seconds', '=', rawResolutionSeconds)
        .where('sampled_at', '<', before)
        .groupBy(['instance_id', bucket]),
    )
    .onConflict((conflict) => conflict.columns(['instance_id', 'resolution_seconds', 'sampled_at']).doNothing())
    .execute();
  const deleted = await executor
    .deleteFrom('system_samples')
    .where('resolution_seconds', '=', rawResolutionSeconds)
    .where('sampled_at', '<', before)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

export async function deleteSystemSamplesBefore(executor: DatabaseExecutor, before: number): Promise<number> {
  const deleted = await executor.deleteFrom('system_samples').where('sampled_at', '<', before).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

export async function insertHealthSample(executor: DatabaseExecutor, row: Insertable<HealthSampleTable>): Promise<void> {
  await executor
    .insertInto('health_samples')
    .values(row)
    .onConflict((conflict) => conflict.columns(['instance_id', 'sampled_at']).doNothing())
    .execute();
}

export async function deleteHealthSamplesBefore(executor: DatabaseExecutor, before: number): Promise<number> {
  const deleted = await executor.deleteFrom('health_samples').where('sampled_at', '<', before).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

export interface HealthSampleRow {
  instanceId: string;
  sampledAt: number;
  apiUp: boolean;
  databaseUp: boolean;
  eventStreamUp: boolean | null;
  redisUp: boolean | null;
}

const flag = (value: unknown): boolean | null => (value === null || value === undefined ? null : Number(value) === 1);

/** The latest health sample of each instance that sampled since `since`. */
export async function listLatestHealthSamples(executor: DatabaseExecutor, since: number): Promise<HealthSampleRow[]> {
  const rows = await executor
    .selectFrom('health_samples as sample')
    .selectAll('sample')
    .where('sample.sampled_at', '>=', since)
    .where(({ eb, selectFrom }) =>
      eb(
        'sample.sampled_at',
        '=',
        selectFrom('health_samples as newer')
          .select((inner) => inner.fn.max('newer.sampled_at').as('latest'))
          .whereRef('newer.instance_id', '=', 'sample.instance_id'),
      ),
    )
    .execute();
  return rows.map((row) => ({
    instanceId: row.instance_id,
    sampledAt: Number(row.sampled_at),
    apiUp: flag(row.api_up) === true,
    databaseUp: flag(row.database_up) === true,
    eventStreamUp: flag(row.event_stream_up),
    redisUp: flag(row.redis_up),
  }));
}

export async function findFirstHealthSampleAt(executor: DatabaseExecutor): Promise<number | null> {
  const row = await executor
    .selectFrom('health_samples')
    .select((eb) => eb.fn.min('sampled_at').as('first'))
    .executeTakeFirst();
  return numberOrNull(row?.first);
}

export interface HealthDayRow {
  day: number;
  samples: number;
  upMinutes: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

/**
 * Per UTC day (epoch days) since `from`: samples, distinct minutes in which some instance's API
 * answered, and the nearest-rank p50 and p95 of the probes' latency (window functions both engines have).
 */
export async function summarizeHealthDays(executor: DatabaseExecutor, from: number): Promise<HealthDayRow[]> {
  const counts = await executor
    .selectFrom('health_samples')
    .select([
      sql<number>`sampled_at / 86400000`.as('day'),
      (eb) => eb.fn.countAll<number>().as('samples'),
      sql<number>`count(distinct case when api_up = 1 then sampled_at / 60000 end)`.as('up_minutes'),
    ])
    .where('sampled_at', '>=', from)
    .groupBy(sql`sampled_at / 86400000`)
    .execute();
  const ranked = await sql<{ day: number | string; position: number | string; total: number | string; latency: number }>`
    select day, position, total, latency from (
      select sampled_at / 86400000 as day, api_latency_ms as latency,
        row_number() over (partition by sampled_at / 86400000 order by api_latency_ms) as position,
        count(*) over (partition by sampled_at / 86400000) as total
      from health_samples
      where sampled_at >= ${from} and api_up = 1 and api_latency_ms is not null
    ) ranked
    where position = (total * 50 + 99) / 100 or position = (total * 95 + 99) / 100
  `.execute(executor);
  const percentiles = new Map<number, { p50: number | null; p95: number | null }>();
  for (const row of ranked.rows) {
    const day = Number(row.day);
    const total = Number(row.total);
    const position = Number(row.position);
    const entry = percentiles.get(day) ?? { p50: null, p95: null };
    if (position === Math.floor((total * 50 + 99) / 100)) entry.p50 = Number(row.latency);
    if (position === Math.floor((total * 95 + 99) / 100)) entry.p95 = Number(row.latency);
    percentiles.set(day, entry);
  }
  return counts.map((row) => {
    const day = Number(row.day);
    return {
      day,
      samples: Number(row.samples),
      upMinutes: Number(row.up_minutes),
      p50LatencyMs: percentiles.get(day)?.p50 ?? null,
      p95LatencyMs: percentiles.get(day)?.p95 ?? null,
    };
  });
}
