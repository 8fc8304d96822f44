import type { RunTestResult } from '@mission-control/contracts';
import type { RunStepOptions } from '@mission-control/sdk';
import { startCliProcess } from './cli-process.js';
import type { TaskWorkContext } from './task-work.js';

const outputTailCharacters = 4_000;

/**
 * Runs the test command in the worktree (through `sh -c`, in its own process group, with the
 * tools' scrubbed environment, a timeout and the output cap) and records it as a `test` step
 * with its exit code and the tail of its output.
 */
export async function runTestGate(
  command: string,
  worktree: string,
  context: Pick<TaskWorkContext, 'options' | 'toolEnvironment'>,
  record: (step: RunStepOptions) => void,
): Promise<RunTestResult> {
  let output = '';
  const append = (line: string) => {
    output = `${output}${line}\n`.slice(-outputTailCharacters * 4);
  };
  const tested = startCliProcess({
    command: 'sh',
    // stderr joins stdout so the tail shows both, in order.
    args: ['-c', `exec 2>&1; ${command}`],
    cwd: worktree,
    environment: context.toolEnvironment,
    timeoutMs: context.options.testTimeoutMs,
    maxOutputBytes: context.options.maxOutputBytes,
    onLine: append,
  });
  const ended = await tested.result;
  const exitCode = ended.end === 'exited' ? ended.exitCode : null;
  const outputTail = output.slice(-outputTailCharacters).trimEnd();
  const passed = exitCode === 0;
  record({ kind: 'test', command, exitCode, text: outputTail, isError: !passed });
  return { command, exitCode, passed, outputTail };
}
