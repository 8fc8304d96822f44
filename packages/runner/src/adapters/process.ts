import type { Adapter, AdapterOutcome } from './adapter.js';

/**
 * Any command: the prompt on stdin and in MISSION_PROMPT_FILE, every stdout line a step, exit
 * code 0 a success. It reports no usage; the last line is the run's output.
 */
export const processAdapter: Adapter = {
  name: 'process',
  executable: 'sh',
  environmentNames: [],
  invocation(request) {
    const [command, ...args] = request.command ?? [];
    if (!command) throw new Error('The process adapter needs --command "<program> <arguments>…".');
    return { command, args, stdin: request.prompt };
  },
  createParser() {
    const outcome: AdapterOutcome = {
      sessionId: null,
      model: undefined,
      tokensIn: 0,
      tokensOut: 0,
      costMicroDollars: 0,
      modelCalls: 0,
      output: '',
      reportedError: null,
    };
    return {
      parseLine(line) {
        outcome.output = line;
        return [{ kind: 'output', text: line.slice(0, 4_000) }];
      },
      outcome: () => ({ ...outcome }),
    };
  },
};
