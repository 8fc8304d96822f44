import WebSocket from 'ws';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on this machine. */
export const preciseNow = () => performance.timeOrigin + performance.now();

/** Opens a socket and resolves once the server says it is live (`ready`), or on open for the baseline. */
export function openSocket(url: string, onMessage: (text: string, receivedAt: number) => void, waitForReady: boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let settled = false;
    socket.on('message', (data) => {
      const receivedAt = preciseNow();
      const text = data.toString();
      if (!settled && waitForReady && text.startsWith('{"type":"ready"')) {
        settled = true;
        resolve(socket);
        return;
      }
      if (!settled && waitForReady && text.startsWith('{"type":"error"')) {
        settled = true;
        reject(new Error(`the stream refused the socket: ${text}`));
        return;
      }
      onMessage(text, receivedAt);
    });
    socket.once('open', () => {
      if (!waitForReady) {
        settled = true;
        resolve(socket);
      }
    });
    socket.once('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
  });
}

/** Reads seq and at from an event message without parsing the whole of it: 2,000 sockets make the client the bottleneck otherwise. */
export function readEventHeader(text: string): { seq: number; at: number } | undefined {
  const match = /^\{"type":"event","seq":(\d+),"at":"([^"]+)"/.exec(text);
  if (!match) return undefined;
  return { seq: Number(match[1]), at: Date.parse(match[2] as string) };
}

/** Opens many sockets a few at a time (a thundering herd of handshakes measures nothing useful). */
export async function openMany(
  urls: string[],
  onMessage: (index: number, text: string, receivedAt: number) => void,
  waitForReady: boolean,
) {
  const sockets: WebSocket[] = new Array(urls.length);
  let next = 0;
  const opener = async () => {
    while (next < urls.length) {
      const index = next++;
      sockets[index] = await openSocket(urls[index] as string, (text, receivedAt) => onMessage(index, text, receivedAt), waitForReady);
    }
  };
  await Promise.all(Array.from({ length: 50 }, opener));
  return sockets;
}
