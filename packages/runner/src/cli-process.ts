import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Why a CLI process ended. */
export type ProcessEnd = 'exited' | 'timeout' | 'output-cap' | 'stopped';

export interface CliProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  /** The whole environment of the process: nothing else is inherited. */
  environment: Record<string, string>;
  stdin?: string;
  timeoutMs: number;
  /** Bytes of stdout and stderr together past which the process is killed. */
  maxOutputBytes: number;
  /** Called for every line the process writes to stdout, in order. */
  onLine: (line: string) => void;
  /** Grace between SIGTERM and SIGKILL of the process group. */
  killGraceMs?: number;
}

export interface CliProcessResult {
  end: ProcessEnd;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Why it was stopped, when `stop` was called. */
  stopReason: string | null;
  /** The last part of stderr. */
  stderrTail: string;
  durationMs: number;
}

export interface CliProcess {
  pid: number | undefined;
  /** Kills the whole process group: SIGTERM, then SIGKILL after the grace. */
  stop(reason: string): void;
  result: Promise<CliProcessResult>;
}

const stderrTailBytes = 8_000;

/**
 * Starts an agent CLI in its own process group (detached), so a cancel or a timeout kills it and
 * everything it started: `process.kill(-pid)` reaches the whole group.
 */
export function startCliProcess(options: CliProcessOptions): CliProcess {
  const started = Date.now();
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.environment,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const grace = options.killGraceMs ?? 2_000;
  let end: ProcessEnd = 'exited';
  let stopReason: string | null = null;
  let outputBytes = 0;
  let stderrTail = '';
  let killTimer: NodeJS.Timeout | undefined;

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const terminate = (why: ProcessEnd, reason: string | null) => {
    if (killTimer) return;
    end = why;
    stopReason = reason;
    killGroup('SIGTERM');
    killTimer = setTimeout(() => killGroup('SIGKILL'), grace);
  };
  const countOutput = (bytes: number) => {
    outputBytes += bytes;
    if (outputBytes > options.maxOutputBytes) terminate('output-cap', `the CLI wrote more than ${options.maxOutputBytes} bytes`);
  };

  const timeout = setTimeout(() => terminate('timeout', `no end after ${Math.round(options.timeoutMs / 1000)} s`), options.timeoutMs);

  child.stdin.on('error', () => {
    // A CLI that exits without reading its input closes the pipe; nothing to do.
  });
  child.stdin.end(options.stdin ?? '');
  child.stdout.on('data', (chunk: Buffer) => countOutput(chunk.length));
  child.stderr.on('data', (chunk: Buffer) => {
    countOutput(chunk.length);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-stderrTailBytes);
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    if (line.trim() !== '') options.onLine(line);
  });

  const result = new Promise<CliProcessResult>((resolve) => {
    let spawnError = '';
    child.once('error', (error) => {
      spawnError = error.message;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      // Whatever the CLI left running in its group goes with it.
      killGroup('SIGKILL');
      resolve({
        end,
        exitCode: code,
        signal,
        stopReason: stopReason ?? (spawnError ? `could not start ${options.command}: ${spawnError}` : null),
        stderrTail: `${stderrTail}${spawnError}`,
        durationMs: Date.now() - started,
      });
    });
  });

  return {
    pid: child.pid,
    stop: (reason) => terminate('stopped', reason),
    result,
  };
}
