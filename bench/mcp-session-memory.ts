// npm run build && tsc -p bench && node --expose-gc bench/dist/mcp-session-memory.js [--sessions=200]
// What one open MCP session costs in memory: the server runs in this process on SQLite, 10 agents
// each open up to 20 sessions (the cap) over real HTTP, and the heap is read after a full garbage
// collection before and after. The figure is (after - before) / sessions; closing them all gives
// the memory back, which the last line shows.
import { parseArgs } from 'node:util';
import { loadConfig, startServer } from '@mission-control/server';
import { createBenchDatabase } from './lib/bench-database.js';
import { seedAgents, signIn } from './lib/mission-client.js';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '200' } } });
const sessionCount = Number(values.sessions);
const perAgent = 20;

function heapAfterCollection(): number {
  if (!globalThis.gc) throw new Error('run with node --expose-gc');
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function openSession(baseUrl: string, apiKey: string): Promise<string> {
  const response = await fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'memory-bench', version: '1.0.0' } },
    }),
  });
  await response.text();
  const sessionId = response.headers.get('mcp-session-id');
  if (response.status !== 200 || !sessionId) throw new Error(`initialize answered ${response.status}`);
  return sessionId;
}

const database = await createBenchDatabase('sqlite');
const server = await startServer(loadConfig({ ...database.environment, MISSION_SCHEDULER_ENABLED: 'false' }), { dashboardDirectory: '' });
const runner = database.connect();
try {
  const ownerToken = await signIn(server.url);
  const [warmUpAgent, ...agents] = await seedAgents(server.url, ownerToken, runner, 1 + Math.ceil(sessionCount / perAgent));
  // One session first, by an agent of its own, so code loaded and caches filled on first use are not counted per session.
  const warmUp = await openSession(server.url, warmUpAgent?.apiKey ?? '');
  const before = heapAfterCollection();
  const opened: { apiKey: string; sessionId: string }[] = [];
  for (let index = 0; index < sessionCount; index += 1) {
    const agent = agents[Math.floor(index / perAgent)];
    if (!agent) break;
    opened.push({ apiKey: agent.apiKey, sessionId: await openSession(server.url, agent.apiKey) });
  }
  const after = heapAfterCollection();
  for (const session of [...opened, { apiKey: warmUpAgent?.apiKey ?? '', sessionId: warmUp }]) {
    await fetch(`${server.url}/mcp`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session.apiKey}`, 'mcp-session-id': session.sessionId, 'mcp-protocol-version': '2025-06-18' },
    });
  }
  const closed = heapAfterCollection();
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  process.stdout.write(
    [
      `MCP sessions opened: ${opened.length} (over ${Math.ceil(opened.length / perAgent)} agents, ${perAgent} each at most)`,
      `heap before: ${mib(before)}, after: ${mib(after)}, after closing them: ${mib(closed)}`,
      `per session: ${((after - before) / opened.length / 1024).toFixed(0)} KiB`,
      '',
    ].join('\n'),
  );
} finally {
  await runner.close();
  await server.close();
  await database.drop();
}
