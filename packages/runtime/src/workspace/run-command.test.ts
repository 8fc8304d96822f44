import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CommandRefused, parseAllowedCommand, runCommand, splitCommand } from './run-command.js';

/** Whether a process still runs: a killed one may stay a zombie until something reaps it, which is not running. */
function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('run_command', () => {
  let cwd: string;
  const environment = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), LANG: 'C.UTF-8' };
  beforeAll(() => {
    cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mission-command-')));
  });
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('splits a command line like a shell quotes it, without expanding anything', () => {
    expect(splitCommand(`npm test -- --run "two words" 'single $HOME' back\\ slash`)).toEqual([
      'npm',
      'test',
      '--',
      '--run',
      'two words',
      'single $HOME',
      'back slash',
    ]);
    expect(() => splitCommand('echo "open')).toThrow(CommandRefused);
  });

  it('starts only allow-listed programs and prefixes, and refuses shell syntax', () => {
    const allowed = ['node', 'npm test', 'git status'];
    expect(parseAllowedCommand('node --version', allowed)).toEqual(['node', '--version']);
    expect(parseAllowedCommand('npm test -- --run', allowed)).toEqual(['npm', 'test', '--', '--run']);
    expect(() => parseAllowedCommand('npm install left-pad', allowed)).toThrow(
      /not an allowed command.*Allowed: node, npm test, git status/,
    );
    expect(() => parseAllowedCommand('curl https://example.com', allowed)).toThrow(/not an allowed command/);
    // The program by path is not the program the list names.
    expect(() => parseAllowedCommand('/usr/bin/curl x', allowed)).toThrow(/not an allowed command/);
    expect(() => parseAllowedCommand('./node x', allowed)).toThrow(/not an allowed command/);
    expect(() => parseAllowedCommand('git status && rm -rf /', allowed)).toThrow(/shell syntax/);
    expect(() => parseAllowedCommand('node x > out.txt', allowed)).toThrow(/shell syntax/);
    expect(() => parseAllowedCommand('node --version', [])).toThrow(/no commands are allowed/);
  });

  it('runs in the given folder with exactly the given environment and answers the exit code and output', async () => {
    const result = await runCommand(
      ['node', '-e', 'console.log(process.cwd()); console.error(JSON.stringify(Object.keys(process.env).sort())); process.exit(3)'],
      { cwd, environment, timeoutMs: 20_000, outputLimitBytes: 10_000 },
    );
    expect(result.exitCode).toBe(3);
    expect(result.timedOut).toBe(false);
    expect(result.truncated).toBe(false);
    expect(result.output).toContain(cwd);
    expect(result.output).toContain('["HOME","LANG","PATH"]');
  });

  it('kills a command that hangs at the time limit, with the processes it started', async () => {
    // sh starts a sleeping child, prints its pid, and waits: the whole group must die.
    const result = await runCommand(['sh', '-c', 'sleep 300 & echo "child $!"; wait'], {
      cwd,
      environment,
      timeoutMs: 1_000,
      outputLimitBytes: 10_000,
    });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGKILL');
    const childPid = Number(/child (\d+)/.exec(result.output)?.[1]);
    expect(childPid).toBeGreaterThan(0);
    expect(isAlive(childPid)).toBe(false);
  });

  it('kills what a finished command left running in the background', async () => {
    const result = await runCommand(['sh', '-c', 'sleep 300 & echo "child $!"'], {
      cwd,
      environment,
      timeoutMs: 20_000,
      outputLimitBytes: 10_000,
    });
    expect(result.exitCode).toBe(0);
    const childPid = Number(/child (\d+)/.exec(result.output)?.[1]);
    // SIGKILL is delivered asynchronously: the kernel may take a moment on a loaded machine to end it.
    await vi.waitFor(() => expect(isAlive(childPid)).toBe(false), { timeout: 10_000, interval: 50 });
  });

  it('caps the output, keeps its start and end, and says it was cut', async () => {
    const result = await runCommand(
      ['node', '-e', 'console.log("FIRST"); for (let i = 0; i < 20000; i++) console.log("line " + i); console.log("LAST")'],
      { cwd, environment, timeoutMs: 20_000, outputLimitBytes: 2_000 },
    );
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.outputBytes).toBeGreaterThan(200_000);
    expect(result.output.startsWith('FIRST\n')).toBe(true);
    expect(result.output.trimEnd().endsWith('LAST')).toBe(true);
    expect(result.output).toMatch(/\[… \d+ bytes of output cut …\]/);
    expect(Buffer.byteLength(result.output)).toBeLessThan(2_100);
  });

  it('answers a program that cannot start instead of throwing', async () => {
    const result = await runCommand(['no-such-program-here'], { cwd, environment, timeoutMs: 5_000, outputLimitBytes: 1_000 });
    expect(result.exitCode).toBeNull();
    expect(result.output).toContain('could not start no-such-program-here');
  });
});
