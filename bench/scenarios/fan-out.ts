import type WebSocket from 'ws';
import { createBenchDatabase, type Engine } from '../lib/bench-database.js';
import { type Child, startChild } from '../lib/child-process.js';
import { expectCall, seedAgents, signIn } from '../lib/mission-client.js';
import type { BenchSettings, ResultRow } from '../lib/report.js';
import { openMany, readEventHeader } from '../lib/sockets.js';
import { percentile, spread } from '../lib/statistics.js';

const clientCount = 2_000;
const eventsPerSecond = 10;
/** The server allows 20 open streams per principal: 100 agents carry the 2,000 sockets. */
const streamsPerAgent = 20;

interface Delivery {
  seqs: Set<number>;
}

interface FanOutRun {
  p99: number;
  share: number;
}

async function measure(
  urls: string[],
  waitForReady: boolean,
  produce: () => Promise<void>,
  expected: () => Promise<number[]>,
): Promise<FanOutRun> {
  const deliveries: Delivery[] = urls.map(() => ({ seqs: new Set() }));
  const latencies: number[] = [];
  let measuring = false;
  const sockets: WebSocket[] = await openMany(
    urls,
    (index, text, receivedAt) => {
      if (!measuring) return;
      const header = readEventHeader(text);
      if (!header) return;
      deliveries[index]?.seqs.add(header.seq);
      latencies.push(receivedAt - header.at);
    },
    waitForReady,
  );
  measuring = true;
  await produce();
  // Let the last event reach everyone.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const wanted = await expected();
  for (const socket of sockets) socket.terminate();
  const complete = deliveries.filter((delivery) => wanted.every((seq) => delivery.seqs.has(seq))).length;
  return { p99: percentile(latencies, 99), share: complete / urls.length };
}

/**
 * 2,000 sockets on /api/v1/ws/activities while tasks are created at 10 a second: the p99 from an
 * event's `at` to its receipt over every delivery, and the share of sockets that received every
 * event. On PostgreSQL also with the sockets split over two instances (events created on one).
 * The baseline is a raw `ws` server broadcasting the same rate to the same number of sockets.
 */
export async function benchmarkFanOut(engine: Engine, settings: BenchSettings, instanceCount: 1 | 2): Promise<ResultRow[]> {
  const seconds = settings.quick ? 3 : 6;
  const eventCount = seconds * eventsPerSecond;
  const database = await createBenchDatabase(engine);
  const broadcaster = await startChild<{ url: string }>('socket-server.js');
  const servers: Child<{ url: string }>[] = [await startChild<{ url: string }>('mission-server.js', database.environment)];
  if (instanceCount === 2) servers.push(await startChild<{ url: string }>('mission-server.js', database.environment));
  const runner = database.connect();
  try {
    const url = servers[0]?.ready.url as string;
    const ownerToken = await signIn(url);
    const agents = await seedAgents(url, ownerToken, runner, clientCount / streamsPerAgent);
    const streamUrls = Array.from({ length: clientCount }, (_, index) => {
      const server = servers[index % servers.length] as Child<{ url: string }>;
      const agent = agents[Math.floor(index / streamsPerAgent)];
      return `${server.ready.url.replace('http', 'ws')}/api/v1/ws/activities?token=${agent?.apiKey}`;
    });

    const latestSeq = async () => Number((await runner.query('select max(seq) as seq from events'))[0]?.seq ?? 0);
    const p99s: number[] = [];
    const shares: number[] = [];
    const baselineP99s: number[] = [];
    const baselineShares: number[] = [];
    for (let run = 0; run < settings.runs; run += 1) {
      const baseline = await measure(
        Array.from({ length: clientCount }, () => broadcaster.ready.url),
        false,
        () => broadcaster.ask('broadcast', { count: eventCount, intervalMs: 1_000 / eventsPerSecond }).then(() => {}),
        async () => Array.from({ length: eventCount }, (_, index) => index + 1),
      );
      baselineP99s.push(baseline.p99);
      baselineShares.push(baseline.share);

      let startSeq = 0;
      const measured = await measure(
        streamUrls,
        true,
        async () => {
          startSeq = await latestSeq();
          for (let index = 0; index < eventCount; index += 1) {
            const started = Date.now();
            await expectCall(url, 'POST', '/api/v1/tasks', ownerToken, { title: `Fan-out ${run}-${index}` });
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_000 / eventsPerSecond - (Date.now() - started))));
          }
        },
        async () =>
          (await runner.query(`select seq from events where seq > ${runner.placeholder(1)} order by seq`, [startSeq])).map((row) =>
            Number(row.seq),
          ),
      );
      p99s.push(measured.p99);
      shares.push(measured.share);
    }
    const where = instanceCount === 2 ? 'two instances' : 'one instance';
    const shareSpread = spread(shares.map((share) => share * 100));
    const p99Spread = spread(p99s);
    return [
      {
        benchmark: 'fan-out',
        engine,
        metric: `fan-out p99, ${clientCount.toLocaleString('en-US')} sockets, ${eventsPerSecond} events/s, ${where}`,
        unit: 'ms',
        value: p99Spread,
        baselineLabel: 'raw ws broadcast p99',
        baseline: spread(baselineP99s),
        ratio: spread(p99s.map((value, index) => value / (baselineP99s[index] as number))),
        target: '≤ 100 ms, every client every event',
        met: p99Spread.median <= 100 && shareSpread.min === 100,
      },
      {
        benchmark: 'fan-out',
        engine,
        metric: `sockets that received every event, ${where}`,
        unit: '%',
        value: shareSpread,
        baselineLabel: 'raw ws broadcast',
        baseline: spread(baselineShares.map((share) => share * 100)),
      },
    ];
  } finally {
    await runner.close();
    for (const server of servers) await server.stop();
    await broadcaster.stop();
    await database.drop();
  }
}
