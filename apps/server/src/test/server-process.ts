// Test support: Mission Control as a real operating-system process (the built `mission serve`),
// for what only a separate process can show — several instances, and SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildCommandLine } from '../../../../packages/sdk/src/test/real-server.js';

export { createScratchPostgresDatabase } from './postgres-scratch.js';
export { buildCommandLine };

export interface ServerProcess {
  /** The server root, such as http://127.0.0.1:41234. */
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGKILL: no shutdown hook runs, exactly like a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for the graceful shutdown. */
  stop(): Promise<void>;
}

export interface StartServerProcessOptions {
  /** Environment of the server (DATABASE_URL, REDIS_URL, MISSION_DATA_DIR, …); PORT defaults to 0. */
  environment: Record<string, string>;
  binary?: string;
  startTimeoutMs?: number;
}

const defaultBinary = fileURLToPath(new URL('../../../../packages/cli/dist/bin.js', import.meta.url));

/** Spawns `mission serve` and resolves once it logged the URL it listens on. */
export function startServerProcess(options: StartServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [options.binary ?? defaultBinary, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      MISSION_LOG_PRETTY: 'false',
      ...options.environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const output = () => printed;

  return new Promise((resolve, reject) => {
    let pendingLine = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${printed.slice(-4_000)}`));
    }, options.startTimeoutMs ?? 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      printed = (printed + text).slice(-200_000);
      pendingLine += text;
      const lines = pendingLine.split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        let entry: { url?: unknown; msg?: unknown };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (typeof entry.url === 'string' && typeof entry.msg === 'string' && entry.msg.includes('is listening')) {
          clearTimeout(timer);
          const url = entry.url;
          resolve({
            url,
            child,
            output,
            exited,
            async kill() {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
              await exited;
            },
            async stop() {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
              await exited;
            },
          });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${printed.slice(-4_000)}`));
    });
  });
}

/** The test Redis when one answers (MISSION_TEST_REDIS_URL, else the local default); undefined otherwise. */
export async function findTestRedis(): Promise<string | undefined> {
  const url = new URL(process.env.MISSION_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
  return reachable ? url.toString() : undefined;
}
