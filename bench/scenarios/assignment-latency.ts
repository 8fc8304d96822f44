import { createBenchDatabase, type Engine } from '../lib/bench-database.js';
import { startChild } from '../lib/child-process.js';
import { expectCall, seedAgents, signIn } from '../lib/mission-client.js';
import type { BenchSettings, ResultRow } from '../lib/report.js';
import { openSocket, preciseNow } from '../lib/sockets.js';
import { percentile, spread } from '../lib/statistics.js';

/**
 * One at a time: a task is assigned to an agent and the agent's socket
 * (/api/v1/ws/agents/{id}) receives the `task-assigned` event. Latency runs from the event's `at`
 * (the server's clock, taken in the transaction before it commits) to the client's receipt, so it
 * covers the commit, the tailer's read and the send. The baseline is a WebSocket echo round trip
 * to a raw `ws` server.
 */
export async function benchmarkAssignmentLatency(engine: Engine, settings: BenchSettings): Promise<ResultRow[]> {
  const samples = settings.quick ? 100 : 300;
  const database = await createBenchDatabase(engine);
  const echo = await startChild<{ url: string }>('socket-server.js');
  const server = await startChild<{ url: string }>('mission-server.js', database.environment);
  const runner = database.connect();
  try {
    const url = server.ready.url;
    const ownerToken = await signIn(url);
    const [agent] = await seedAgents(url, ownerToken, runner, 1);
    if (!agent) throw new Error('no agent');

    const p50s: number[] = [];
    const p99s: number[] = [];
    const echoP50s: number[] = [];
    const echoP99s: number[] = [];
    for (let run = 0; run < settings.runs; run += 1) {
      // The baseline: echo round trips on one socket.
      let echoed: ((receivedAt: number) => void) | undefined;
      const echoSocket = await openSocket(echo.ready.url, (_text, receivedAt) => echoed?.(receivedAt), false);
      const roundTrips: number[] = [];
      for (let index = 0; index < samples; index += 1) {
        const sentAt = preciseNow();
        const receivedAt = await new Promise<number>((resolve) => {
          echoed = resolve;
          echoSocket.send(JSON.stringify({ type: 'ping', index }));
        });
        roundTrips.push(receivedAt - sentAt);
      }
      echoSocket.close();

      const waiting = new Map<string, (latency: number) => void>();
      const agentSocket = await openSocket(
        `${url.replace('http', 'ws')}/api/v1/ws/agents/${agent.id}?token=${agent.apiKey}`,
        (text, receivedAt) => {
          const message = JSON.parse(text) as { type: string; data?: { type?: string; taskId?: string; createdAt?: string } };
          if (message.type !== 'event' || message.data?.type !== 'task-assigned' || !message.data.taskId) return;
          waiting.get(message.data.taskId)?.(receivedAt - Date.parse(message.data.createdAt as string));
        },
        true,
      );
      const latencies: number[] = [];
      for (let index = 0; index < samples; index += 1) {
        const task = await expectCall(url, 'POST', '/api/v1/tasks', ownerToken, { title: `Assign me ${run}-${index}` });
        const received = new Promise<number>((resolve) => waiting.set(task.id as string, resolve));
        await expectCall(url, 'POST', `/api/v1/tasks/${task.id}/assign`, ownerToken, { assignees: [{ kind: 'agent', id: agent.id }] });
        latencies.push(await received);
        waiting.delete(task.id as string);
      }
      agentSocket.close();
      p50s.push(percentile(latencies, 50));
      p99s.push(percentile(latencies, 99));
      echoP50s.push(percentile(roundTrips, 50));
      echoP99s.push(percentile(roundTrips, 99));
    }
    const ratio = spread(p99s.map((value, index) => value / (echoP99s[index] as number)));
    return [
      {
        benchmark: 'assignment-latency',
        engine,
        metric: 'assignment commit → assignee socket, p50',
        unit: 'ms',
        value: spread(p50s),
        baselineLabel: 'ws echo round trip p50',
        baseline: spread(echoP50s),
        ratio: spread(p50s.map((value, index) => value / (echoP50s[index] as number))),
      },
      {
        benchmark: 'assignment-latency',
        engine,
        metric: 'assignment commit → assignee socket, p99',
        unit: 'ms',
        value: spread(p99s),
        baselineLabel: 'ws echo round trip p99',
        baseline: spread(echoP99s),
        ratio,
        target: '≤ 3× echo p99',
        met: ratio.median <= 3,
        note: `${samples} assignments per run; the server stamps createdAt in whole milliseconds`,
      },
    ];
  } finally {
    await runner.close();
    await server.stop();
    await echo.stop();
    await database.drop();
  }
}
