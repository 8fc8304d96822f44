import { spawn } from 'node:child_process';

/** A command the workspace will not start; the message is written for the model. */
export class CommandRefused extends Error {
  override readonly name = 'CommandRefused';
}

const shellOperators = new Set(['|', '||', '&', '&&', ';', '<', '>', '>>', '2>', '2>&1', '&>']);

/**
 * Splits a command line into program and arguments the way a shell would quote them (single
 * quotes, double quotes, backslashes), but expands nothing: no variables, globs, pipes or
 * redirections, since the program is started without a shell.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let index = 0; index < command.length; index += 1) {
    const character = command[index] as string;
    if (quote === "'") {
      if (character === "'") quote = null;
      else word += character;
      continue;
    }
    if (quote === '"') {
      if (character === '"') quote = null;
      else if (character === '\\' && index + 1 < command.length && '"\\$`'.includes(command[index + 1] as string)) {
        index += 1;
        word += command[index];
      } else word += character;
      continue;
    }
    if (character === "'" || character === '"') {
      quote = character;
      inWord = true;
    } else if (character === '\\' && index + 1 < command.length) {
      index += 1;
      word += command[index];
      inWord = true;
    } else if (/\s/.test(character)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      if ('`$'.includes(character) && !inWord && command[index + 1] === '(')
        throw new CommandRefused('command substitution ($(…) or `…`) needs a shell, and commands run without one');
      word += character;
      inWord = true;
    }
  }
  if (quote) throw new CommandRefused(`the command has an unclosed ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

/** The allow-list entry a command falls under (a program name, or an exact prefix of words), or null. */
export function findAllowedEntry(argv: readonly string[], allowedCommands: readonly string[]): string | null {
  for (const entry of allowedCommands) {
    const prefix = splitCommand(entry);
    if (prefix.length > 0 && prefix.length <= argv.length && prefix.every((word, index) => argv[index] === word)) return entry;
  }
  return null;
}

export interface CommandLimits {
  allowedCommands: readonly string[];
  timeoutMs: number;
  outputLimitBytes: number;
}

export interface CommandResult {
  argv: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout and stderr interleaved as they came; when cut, the start and the end are kept. */
  output: string;
  truncated: boolean;
  outputBytes: number;
}

/**
 * Checks a command line against the allow-list and answers its words, or refuses: empty, shell
 * syntax (pipes, redirections, &&), a program given by path where the list names it, or not on the list.
 */
export function parseAllowedCommand(command: string, allowedCommands: readonly string[]): string[] {
  const argv = splitCommand(command);
  if (argv.length === 0) throw new CommandRefused('the command is empty');
  const operator = argv.find((word) => shellOperators.has(word));
  if (operator)
    throw new CommandRefused(
      `"${operator}" is shell syntax, and commands run without a shell: run one program per call, and read files with read_file instead of redirecting`,
    );
  if (allowedCommands.length === 0) throw new CommandRefused('no commands are allowed in this workspace');
  if (!findAllowedEntry(argv, allowedCommands)) {
    throw new CommandRefused(
      `"${argv.join(' ')}" is not an allowed command here. Allowed: ${allowedCommands.join(', ')}. Ask a person to add it to the agent's workspace settings if you need it.`,
    );
  }
  return argv;
}

/** Keeps the first and the last half of a stream's bytes when it is longer than the limit. */
function createOutputCollector(limit: number) {
  const half = Math.max(1, Math.floor(limit / 2));
  const head: Buffer[] = [];
  let headBytes = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let total = 0;
  return {
    add(chunk: Buffer) {
      total += chunk.length;
      let rest = chunk;
      if (headBytes < half) {
        const taken = rest.subarray(0, half - headBytes);
        head.push(taken);
        headBytes += taken.length;
        rest = rest.subarray(taken.length);
      }
      if (rest.length === 0) return;
      tail.push(rest);
      tailBytes += rest.length;
      // Trimmed now and then, not per chunk: a chatty command must not cost a copy per line.
      if (tailBytes > 2 * half) {
        tail = [Buffer.concat(tail).subarray(tailBytes - half)];
        tailBytes = half;
      }
    },
    finish(): { output: string; truncated: boolean; bytes: number } {
      if (total <= limit) return { output: Buffer.concat([...head, ...tail]).toString('utf8'), truncated: false, bytes: total };
      const end = Buffer.concat(tail);
      const kept = end.subarray(Math.max(0, end.length - (limit - headBytes)));
      const cut = total - headBytes - kept.length;
      return {
        output: `${Buffer.concat(head).toString('utf8')}\n[… ${cut} bytes of output cut …]\n${kept.toString('utf8')}`,
        truncated: true,
        bytes: total,
      };
    },
  };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    // The negative pid names the whole process group the command leads (it was started detached).
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts one program without a shell, in its own process group, with exactly the given
 * environment. At the time limit the whole group is killed (children included); when the program
 * ends, whatever it left running in its group is killed too. Never throws for the program's own
 * failures: a program that cannot start answers exit code null and the reason in its output.
 */
export function runCommand(
  argv: readonly string[],
  options: { cwd: string; environment: Record<string, string>; timeoutMs: number; outputLimitBytes: number },
): Promise<CommandResult> {
  const [program, ...args] = argv;
  if (!program) return Promise.reject(new CommandRefused('the command is empty'));
  return new Promise((resolve) => {
    const collector = createOutputCollector(options.outputLimitBytes);
    let timedOut = false;
    let settled = false;
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.environment,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    child.stdout.on('data', (chunk: Buffer) => collector.add(chunk));
    child.stderr.on('data', (chunk: Buffer) => collector.add(chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, options.timeoutMs);
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, startError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const collected = collector.finish();
      resolve({
        argv: [...argv],
        exitCode,
        signal,
        timedOut,
        output: startError ? `could not start ${program}: ${startError.message}` : collected.output,
        truncated: collected.truncated,
        outputBytes: collected.bytes,
      });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('exit', (exitCode, signal) => {
      // Background children of the program would hold the output open and outlive the turn.
      killGroup(child.pid, 'SIGKILL');
      // A process that left the group can still hold the pipes: stop waiting for them after a moment.
      const grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(exitCode, signal);
      }, 2_000);
      child.on('close', () => {
        clearTimeout(grace);
        finish(exitCode, signal);
      });
    });
  });
}
