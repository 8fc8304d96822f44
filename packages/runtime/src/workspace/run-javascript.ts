import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { z } from 'zod';

export interface JavascriptLimits {
  /** The isolate's heap, in megabytes (isolated-vm's minimum is 8). */
  memoryLimitMb: number;
  /** CPU time the code may run, in milliseconds. */
  timeoutMs: number;
  /** What console.log may collect, in bytes. */
  outputLimitBytes: number;
}

export const defaultJavascriptLimits: JavascriptLimits = { memoryLimitMb: 64, timeoutMs: 2_000, outputLimitBytes: 16 * 1_024 };

export type JavascriptOutcome =
  | { ok: true; result: string; logs: string[]; logsTruncated: boolean }
  | { ok: false; reason: 'timeout' | 'memory' | 'error' | 'unavailable'; message: string; logs: string[]; logsTruncated: boolean };

const childAnswerSchema = z.object({
  ok: z.boolean(),
  result: z.string().optional(),
  reason: z.enum(['timeout', 'memory', 'error']).optional(),
  message: z.string().optional(),
  logs: z.array(z.string()),
  logsTruncated: z.boolean(),
});

/**
 * The program of the sandbox process. isolated-vm needs node started with --no-node-snapshot on
 * Node 20 and later, which a server (or a test worker) is not, and a V8 isolate that misbehaves
 * must not take the server down: so each run gets its own short-lived node process, and inside
 * it the code runs in an isolate with nothing but the language itself and a console.log.
 */
const sandboxProgram = String.raw`
'use strict';
const ivm = require(process.env.MISSION_ISOLATED_VM);
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  run(input).then(answer, (error) => answer({ ok: false, reason: 'error', message: 'the sandbox failed: ' + String(error && error.message || error), logs: [], logsTruncated: false }));
});
let answered = false;
function answer(value) {
  if (answered) return;
  answered = true;
  process.stdout.write(JSON.stringify(value) + '\n', () => process.exit(0));
}
// Nothing is left to run but the code's promise is still pending: it can never settle.
process.on('beforeExit', () => answer({ ok: false, reason: 'error', message: 'the code returned a promise that never settles (there are no timers or I/O to settle it)', logs: [], logsTruncated: false }));
async function run(input) {
  const isolate = new ivm.Isolate({ memoryLimit: input.memoryLimitMb });
  const logs = [];
  let logBytes = 0;
  let logsTruncated = false;
  const log = (line) => {
    const text = String(line);
    if (logsTruncated) return;
    if (logBytes + text.length > input.outputLimitBytes) {
      logs.push(text.slice(0, Math.max(0, input.outputLimitBytes - logBytes)));
      logsTruncated = true;
      return;
    }
    logBytes += text.length;
    logs.push(text);
  };
  try {
    const context = await isolate.createContext();
    await context.global.set('__missionLog', new ivm.Callback(log));
    await context.eval(
      "const log = globalThis.__missionLog; delete globalThis.__missionLog;" +
      "const show = (value) => { if (typeof value === 'string') return value; try { const text = JSON.stringify(value); return text === undefined ? String(value) : text; } catch { return String(value); } };" +
      "Object.defineProperty(globalThis, 'console', { value: Object.freeze({ log: (...values) => { log(values.map(show).join(' ')); } }) });",
    );
    const wrapped =
      "(() => { const toJson = (value) => { const text = JSON.stringify(value); return text === undefined ? 'undefined' : text; };" +
      " const value = (0, eval)(" + JSON.stringify(input.code) + ");" +
      " return value !== null && typeof value === 'object' && typeof value.then === 'function' ? Promise.resolve(value).then(toJson) : toJson(value); })()";
    const script = await isolate.compileScript(wrapped, { filename: 'run_javascript.js' });
    const result = await script.run(context, { timeout: input.timeoutMs, promise: true, copy: true });
    return { ok: true, result: String(result), logs, logsTruncated };
  } catch (error) {
    const message = String(error && error.message || error);
    if (isolate.isDisposed || /memory limit/i.test(message)) return { ok: false, reason: 'memory', message, logs, logsTruncated };
    if (/timed out/i.test(message)) return { ok: false, reason: 'timeout', message, logs, logsTruncated };
    const name = error && typeof error.name === 'string' ? error.name + ': ' : '';
    return { ok: false, reason: 'error', message: message.startsWith(name) ? message : name + message, logs, logsTruncated };
  } finally {
    if (!isolate.isDisposed) isolate.dispose();
  }
}
`;

function locateIsolatedVm(): string | null {
  try {
    return createRequire(import.meta.url).resolve('isolated-vm');
  } catch {
    return null;
  }
}

/**
 * Runs JavaScript in a V8 isolate with a memory limit and a CPU time limit, with no files,
 * network, timers, modules or process: only the language, and console.log collected for the
 * answer. The value of the last expression (awaited when it is a promise) comes back as JSON text.
 * Never throws: limits, errors in the code and a broken sandbox are all answered as outcomes.
 */
export function runJavascript(code: string, limits: JavascriptLimits = defaultJavascriptLimits): Promise<JavascriptOutcome> {
  const isolatedVm = locateIsolatedVm();
  if (!isolatedVm)
    return Promise.resolve({
      ok: false,
      reason: 'unavailable',
      message: 'run_javascript is not available on this server (the isolated-vm package is not installed)',
      logs: [],
      logsTruncated: false,
    });
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--no-node-snapshot', '--max-old-space-size=256', '-e', sandboxProgram],
      // The sandbox process itself gets nothing from the server: no variables, no working folder of interest.
      { cwd: os.tmpdir(), env: { MISSION_ISOLATED_VM: isolatedVm }, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true },
    );
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes <= 4 * limits.outputLimitBytes + 1_048_576) stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64) stderr.push(chunk);
    });
    // The isolate's timeout covers running code; promises that never settle, or an endless chain of
    // them, are stopped here: the sandbox process gets a little longer than the code, then it is killed.
    let killedAtDeadline = false;
    const deadline = setTimeout(() => {
      killedAtDeadline = true;
      child.kill('SIGKILL');
    }, limits.timeoutMs + 5_000);
    child.on('error', (error) => {
      clearTimeout(deadline);
      resolve({
        ok: false,
        reason: 'unavailable',
        message: `the sandbox could not start: ${error.message}`,
        logs: [],
        logsTruncated: false,
      });
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(deadline);
      if (killedAtDeadline) {
        resolve({
          ok: false,
          reason: 'timeout',
          message: `the code did not finish within ${limits.timeoutMs} ms (a promise that never settles, or promises that keep chaining)`,
          logs: [],
          logsTruncated: false,
        });
        return;
      }
      const text = Buffer.concat(stdout).toString('utf8').trim();
      let parsed: z.infer<typeof childAnswerSchema> | null = null;
      try {
        const result = childAnswerSchema.safeParse(JSON.parse(text.split('\n').at(-1) ?? ''));
        parsed = result.success ? result.data : null;
      } catch {
        parsed = null;
      }
      if (!parsed) {
        const detail = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-2).join(' ');
        resolve({
          ok: false,
          reason: 'error',
          message: `the sandbox ended without an answer (exit code ${exitCode ?? 'none'}${signal ? `, ${signal}` : ''})${detail ? `: ${detail.slice(0, 500)}` : ''}`,
          logs: [],
          logsTruncated: false,
        });
        return;
      }
      resolve(
        parsed.ok
          ? { ok: true, result: parsed.result ?? 'undefined', logs: parsed.logs, logsTruncated: parsed.logsTruncated }
          : {
              ok: false,
              reason: parsed.reason ?? 'error',
              message: parsed.message ?? 'the code failed',
              logs: parsed.logs,
              logsTruncated: parsed.logsTruncated,
            },
      );
    });
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify({ code, ...limits }));
  });
}
