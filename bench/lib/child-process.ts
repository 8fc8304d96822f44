import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** Core the servers run on, when the machine has more than one and taskset exists; the load generator takes the others. */
export const serverCore = 0;
const canPin = fs.existsSync('/usr/bin/taskset');

export interface Child<Ready> {
  process: ChildProcess;
  ready: Ready;
  /** Sends a message and waits for the answer of the same type. */
  ask<Answer>(type: string, payload?: Record<string, unknown>): Promise<Answer>;
  stop(): Promise<void>;
}

/** Starts one of bench/processes/*.js with an IPC channel, pinned to the server core, and waits for its ready message. */
export function startChild<Ready>(script: string, environment: Record<string, string> = {}): Promise<Child<Ready>> {
  const entry = fileURLToPath(new URL(`../processes/${script}`, import.meta.url));
  const command = canPin ? '/usr/bin/taskset' : process.execPath;
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers of a run.
  const nodeArguments = [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), entry];
  const args = canPin ? ['-c', String(serverCore), process.execPath, ...nodeArguments] : nodeArguments;
  const child = spawn(command, args, { env: { ...process.env, ...environment }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
    child.once('message', (message: { type: string } & Ready) => {
      clearTimeout(timer);
      resolve({
        process: child,
        ready: message,
        ask<Answer>(type: string, payload: Record<string, unknown> = {}) {
          return new Promise<Answer>((answer) => {
            const listener = (reply: { type: string }) => {
              if (reply.type !== type) return;
              child.off('message', listener);
              answer(reply as Answer);
            };
            child.on('message', listener);
            child.send({ type, ...payload });
          });
        },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timeout);
        },
      });
    });
  });
}

/** The load generator keeps off the server core. */
export function pinLoadGenerator(): void {
  if (!canPin) return;
  const cores = Array.from({ length: os.availableParallelism() }, (_, index) => index);
  const others = cores.filter((core) => core !== serverCore);
  if (others.length === 0) return;
  spawn('/usr/bin/taskset', ['-cp', others.join(','), String(process.pid)], { stdio: 'ignore' });
}
