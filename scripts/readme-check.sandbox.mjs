// The README check's sandbox: a temporary directory holding the clone, the commands run in it with
// a newcomer's environment, the background processes they start, and the removal of all of it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const print = (line) => process.stdout.write(`${line}\n`);
export const heading = (line) => print(`\n==> ${line}`);
export const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** A failed check: its message is the whole report, no stack needed. */
export class CheckFailure extends Error {}
export const fail = (message) => {
  throw new CheckFailure(message);
};

/** Whether GET url answers this status within 3 s. */
export async function answers(url, status = 200) {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  await response.arrayBuffer();
  return response.status === status;
}

/** A port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Creates the temporary directory; `cleanUp()` ends what was started in it and removes it. */
export function createSandbox({ stepTimeoutMs }) {
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-readme-check-'));
  const clone = path.join(temporary, 'mission-control');
  const childTemporary = path.join(temporary, 'tmp');
  fs.mkdirSync(childTemporary);
  const started = new Set();
  const cleanUpSteps = [];
  let cleaned = false;

  function cleanEnvironment(extra = {}) {
    const environment = {};
    for (const [name, value] of Object.entries(process.env)) {
      // The README's commands run with what a newcomer has: none of this project's settings, and
      // none of the variables `npm run` sets (npm_config_local_prefix would point npm at this checkout).
      if (/^MISSION_|^npm_(package|lifecycle)_/.test(name)) continue;
      if (['DATABASE_URL', 'REDIS_URL', 'PORT', 'HOST', 'LOG_LEVEL', 'INIT_CWD', 'npm_config_local_prefix', 'npm_command'].includes(name))
        continue;
      environment[name] = value;
    }
    // TMPDIR inside ours: what the commands leave in the temporary directory (the demo's database) goes with it.
    return { ...environment, TMPDIR: childTemporary, npm_config_audit: 'false', npm_config_fund: 'false', ...extra };
  }

  /** Runs a command (or a block) in the clone with bash -euo pipefail and fails the check if it fails. */
  function runNow(command, { environment = {}, quiet = false, label = `\`${command}\`` } = {}) {
    print(`$ ${command}`);
    // The trap names the failing line, so a failure in a long block does not have to be searched for.
    const script = `set -euo pipefail\ntrap 'echo "readme-check: line $((LINENO - 2)) failed: $BASH_COMMAND" >&2' ERR\n${command}`;
    const result = spawnSync('bash', ['-c', script], {
      cwd: clone,
      env: cleanEnvironment(environment),
      encoding: 'utf8',
      stdio: quiet ? 'pipe' : 'inherit',
      timeout: stepTimeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
      if (quiet) print(`${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-60).join('\n'));
      fail(`${label} failed (${result.signal ?? `exit code ${result.status}`})`);
    }
    return result.stdout ?? '';
  }

  /** Starts a command in the clone, its output in <name>.log; stop it with `stop`. */
  function startInBackground(name, command, environment = {}) {
    const logFile = path.join(temporary, `${name}.log`);
    const output = fs.openSync(logFile, 'w');
    print(`$ ${command}   (in the background, output in ${name}.log)`);
    // detached: the command leads its own process group, so stopping it stops npm, sh and node beneath it.
    const child = spawn('bash', ['-c', command], {
      cwd: clone,
      env: cleanEnvironment(environment),
      detached: true,
      stdio: ['ignore', output, output],
    });
    fs.closeSync(output);
    const background = { name, child, logFile, exit: undefined };
    background.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        background.exit = signal ?? `exit code ${code}`;
        started.delete(background);
        resolve(background.exit);
      });
    });
    started.add(background);
    return background;
  }

  const logOf = (background) => fs.readFileSync(background.logFile, 'utf8');

  function printLog(background) {
    print(`---- last lines of ${background.name}.log ----\n${logOf(background).split('\n').slice(-80).join('\n')}\n----`);
  }

  function signalGroup(background, signal) {
    try {
      process.kill(-background.child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** Sends the signal to the whole process group and fails the check if it has not ended 20 s later. */
  async function stop(background, signal = 'SIGTERM') {
    if (background.exit) return background.exit;
    signalGroup(background, signal);
    const timer = new Promise((resolve) => setTimeout(resolve, 20_000, 'timeout'));
    if ((await Promise.race([background.exited, timer])) === 'timeout') {
      signalGroup(background, 'SIGKILL');
      printLog(background);
      fail(`${background.name} did not stop within 20 s of ${signal}`);
    }
    return background.exit;
  }

  /** Polls the probe until it is true; fails with the log when the process ends first or time runs out. */
  async function waitFor(description, background, timeoutMs, probe) {
    const since = Date.now();
    while (Date.now() - since < timeoutMs) {
      if (background.exit) {
        printLog(background);
        fail(`${background.name} ended (${background.exit}) before ${description}`);
      }
      if (await probe().catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    printLog(background);
    fail(`no ${description} within ${timeoutMs / 1000} s`);
  }

  // A child that escaped its process group (a dev server's own child, say) still has its working
  // directory inside the temporary directory: find those by id and end them.
  function killWhateverRunsInside() {
    if (!fs.existsSync('/proc')) return;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      try {
        if (fs.readlinkSync(`/proc/${entry}/cwd`).startsWith(temporary)) process.kill(Number(entry), 'SIGKILL');
      } catch {
        // Gone, or not ours to read.
      }
    }
  }

  /** Ends every process started here, runs the registered clean-up steps and removes the directory. */
  async function cleanUp() {
    if (cleaned) return;
    cleaned = true;
    for (const background of [...started]) await stop(background, 'SIGKILL').catch(() => {});
    killWhateverRunsInside();
    for (const step of cleanUpSteps) step();
    fs.rmSync(temporary, { recursive: true, force: true });
  }

  return {
    temporary,
    clone,
    runNow,
    startInBackground,
    logOf,
    stop,
    waitFor,
    cleanUp,
    /** Registers something to undo at clean-up (a database created outside the directory). */
    onCleanUp: (step) => cleanUpSteps.push(step),
  };
}
