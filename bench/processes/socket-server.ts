// The WebSocket baseline: a raw `ws` server that echoes, and broadcasts a timestamped message to
// every client when asked — the floor for the stream's latency and fan-out.
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
server.on('connection', (socket) => {
  socket.on('message', (data) => socket.send(data));
});
const address = server.address();
process.send?.({ type: 'ready', url: `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });

process.on('message', (message: { type: string; count?: number; intervalMs?: number }) => {
  if (message.type === 'clients') process.send?.({ type: 'clients', count: server.clients.size });
  if (message.type !== 'broadcast') return;
  let seq = 0;
  const timer = setInterval(() => {
    seq += 1;
    // Serialised once, like the hub, then written to every socket.
    const text = JSON.stringify({ type: 'event', seq, at: new Date().toISOString(), data: { summary: 'baseline event' } });
    for (const client of server.clients) client.send(text);
    if (seq >= (message.count ?? 0)) {
      clearInterval(timer);
      process.send?.({ type: 'broadcast', sent: seq });
    }
  }, message.intervalMs ?? 100);
});
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
