import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status it was answered with. */
  status: number;
}

/** What a receiver answers: a status and a body, or nothing at all (the request hangs until closed). */
export type ReceiverAnswer = { status: number; body?: string; headers?: Record<string, string> };

export interface HttpReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Sets how the following requests are answered. */
  answerWith(answer: (request: Omit<ReceivedRequest, 'status'>, index: number) => ReceiverAnswer): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port, standing in for a webhook receiver, Slack or
 * Discord: it records every request and answers as it is told (200 by default).
 */
export async function startHttpReceiver(
  answer: (request: Omit<ReceivedRequest, 'status'>, index: number) => ReceiverAnswer = () => ({ status: 200, body: 'ok' }),
): Promise<HttpReceiver> {
  let respond = answer;
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const reply = respond(received, requests.length);
      requests.push({ ...received, status: reply.status });
      response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      response.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    answerWith(next) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: a receiver that is down. */
export async function findClosedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
