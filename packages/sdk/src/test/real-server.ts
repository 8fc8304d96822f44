// Test support shared by the sdk, cli and mcp tests: a whole Mission Control server listening on
// a real port (0 = any free one), on SQLite or PostgreSQL, with a signed-in owner.
import type { AddressInfo } from 'node:net';
import type { Engine } from '../../../../apps/server/src/db/database.js';
import {
  createTestServer,
  ownerEmail,
  ownerPassword,
  type TestClock,
  type TestServer,
  type TestServerOptions,
} from '../../../../apps/server/src/test/test-server.js';

export { describeEachEngine } from '../../../../apps/server/src/test/engines.js';
export { type GithubPeer, startGithubPeer } from '../../../../apps/server/src/test/github-peer.js';
export { type HttpReceiver, startHttpReceiver } from '../../../../apps/server/src/test/http-receiver.js';
export { ownerEmail, ownerPassword };

/** A clock that follows real time (leases and tokens behave as in production) and can still be moved forward. */
function createRealTimeClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (milliseconds) => {
      offset += milliseconds;
    },
    set: (date) => {
      offset = date.getTime() - Date.now();
    },
  };
}

export interface RealServer extends TestServer {
  /** The server root, such as http://127.0.0.1:41234. */
  url: string;
  /** Closes every open WebSocket from the server side (a dropped connection, as far as clients can tell). */
  dropSockets(): void;
}

/** Starts a server on port 0 on the given engine; close it after the tests. */
export async function startRealServer(
  engine: Engine = 'sqlite',
  options: Pick<TestServerOptions, 'integrations' | 'config'> = {},
): Promise<RealServer> {
  const server = await createTestServer(engine, { clock: createRealTimeClock(), stream: { pollIntervalMs: 50 }, ...options });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.server.address() as AddressInfo;
  return {
    ...server,
    url: `http://127.0.0.1:${address.port}`,
    dropSockets() {
      for (const client of server.app.websocketServer.clients) client.terminate();
    },
  };
}

/**
 * Runs a build step of the repository (tsc) under a lock shared by the test files: several test
 * files build at once in parallel workers, and two tsc -b runs writing the same outputs collide.
 */
export async function runBuildStep(args: string[]): Promise<void> {
  const { execFile } = await import('node:child_process');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const lock = path.join(os.tmpdir(), `mission-control-build-${Buffer.from(root).toString('hex').slice(-16)}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock left by a crashed run is older than any build.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await new Promise<void>((resolve, reject) =>
      execFile('npx', args, { cwd: root }, (error, stdout, stderr) =>
        error ? reject(new Error(`npx ${args.join(' ')} failed:\n${stdout}${stderr}`)) : resolve(),
      ),
    );
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds the CLI (and what it depends on) so tests run the real `mission` binary; incremental, so quick when nothing changed. */
export async function buildCommandLine(): Promise<void> {
  await runBuildStep(['tsc', '-b', 'packages/cli']);
}
