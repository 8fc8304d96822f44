import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { buildCommandLine, type RealServer, startRealServer } from '../../../sdk/src/test/real-server.js';

type RealServerOptions = NonNullable<Parameters<typeof startRealServer>[1]>;
type Engine = NonNullable<Parameters<typeof startRealServer>[0]>;

const binary = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface CliAgainstRealServer {
  readonly server: RealServer;
  readonly ownerKey: string;
  /** The CLI's own config home, also a scratch directory for files a test hands it. */
  readonly configHome: string;
  /** Runs the built `mission` binary with the owner's key, in a config home of its own; stdin, when given, is piped in. */
  run(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** A server (SQLite unless told) and the built CLI signed in as its owner, for the describe block it is called in. */
export function useCliAgainstRealServer(
  name: string,
  serverOptions: RealServerOptions = {},
  engine: Engine = 'sqlite',
): CliAgainstRealServer {
  let server: RealServer | undefined;
  let configHome = '';
  let ownerKey = '';
  beforeAll(async () => {
    await buildCommandLine();
    server = await startRealServer(engine, serverOptions);
    configHome = fs.mkdtempSync(path.join(os.tmpdir(), `mission-cli-${name}-`));
    ownerKey = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'cli test' } })).json().secret;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(configHome, { recursive: true, force: true });
  });
  const started = (): RealServer => {
    if (!server) throw new Error('The server starts in beforeAll: use it inside a test.');
    return server;
  };
  return {
    get server() {
      return started();
    },
    get ownerKey() {
      return ownerKey;
    },
    get configHome() {
      return configHome;
    },
    run: (args, stdin) =>
      new Promise((resolve) => {
        const child = execFile(
          process.execPath,
          [binary, ...args],
          {
            env: {
              PATH: process.env.PATH ?? '',
              HOME: configHome,
              XDG_CONFIG_HOME: configHome,
              MISSION_URL: started().url,
              MISSION_API_KEY: ownerKey,
            },
            timeout: 20_000,
          },
          (error, stdout, stderr) =>
            resolve({ code: error && typeof error.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr }),
        );
        // Piped only when given: the commands that take no stdin never read it.
        if (stdin !== undefined) child.stdin?.end(stdin);
      }),
  };
}
