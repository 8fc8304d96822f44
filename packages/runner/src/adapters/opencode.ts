import {
  type Adapter,
  type AdapterOutcome,
  clip,
  field,
  numberField,
  parseErrorStep,
  parseJsonLine,
  recordField,
  stringField,
  toMicroDollars,
} from './adapter.js';

/** Past this the prompt does not go on the command line (argument length limits) but is read from its file. */
const maxPromptArgumentLength = 100_000;

/**
 * OpenCode headless: `opencode run --format json <message>` prints JSON Lines, each with `type`,
 * `timestamp` and `sessionID` — `step_start`, `text` (part.text), `tool_use` (part.tool,
 * part.callID, part.state with status, input, output, error), `step_finish` (part.reason,
 * part.cost in dollars, part.tokens with input, output, reasoning and cache read/write) and
 * `error` (error.name, error.data.message). `--session <id>` continues a session.
 */
export const opencodeAdapter: Adapter = {
  name: 'opencode',
  executable: 'opencode',
  environmentNames: [
    'ANTHROPIC_API_KEY',
    'OPENAI_API_KEY',
    'OPENROUTER_API_KEY',
    'GEMINI_API_KEY',
    'OPENCODE_CONFIG',
    'XDG_CONFIG_HOME',
    'XDG_DATA_HOME',
  ],
  invocation(request) {
    const [command, ...extra] = request.command ?? ['opencode'];
    const args = [...extra, 'run', '--format', 'json'];
    if (request.model) args.push('--model', request.model);
    if (request.sessionId) args.push('--session', request.sessionId);
    const message =
      request.prompt.length > maxPromptArgumentLength
        ? `Your task is described in the file ${request.promptFile}. Read it and do the work it asks for.`
        : request.prompt;
    args.push(message);
    return { command: command ?? 'opencode', args, stdin: '' };
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
    let costDollars = 0;
    return {
      parseLine(line) {
        const event = parseJsonLine(line);
        if (!event) return [parseErrorStep(line, 'not a JSON object')];
        outcome.sessionId = stringField(event, 'sessionID') ?? outcome.sessionId;
        const part = recordField(event, 'part');
        switch (stringField(event, 'type')) {
          case 'text': {
            const text = stringField(part, 'text') ?? '';
            outcome.output = text;
            return [{ kind: 'model', text: clip(text) }];
          }
          case 'tool_use': {
            const state = recordField(part, 'state');
            const callId = stringField(part, 'callID') ?? '';
            const status = stringField(state, 'status');
            const call = {
              kind: 'tool-call' as const,
              toolName: stringField(part, 'tool') ?? 'tool',
              arguments: field(state, 'input'),
              toolCallId: callId,
            };
            if (status !== 'completed' && status !== 'error') return [call];
            return [
              call,
              {
                kind: 'tool-result',
                toolCallId: callId,
                result: clip(stringField(state, 'output') ?? stringField(state, 'error') ?? ''),
                isError: status === 'error',
              },
            ];
          }
          case 'step_finish': {
            const tokens = recordField(part, 'tokens');
            const cache = recordField(tokens, 'cache');
            outcome.modelCalls += 1;
            outcome.tokensIn += numberField(tokens, 'input') + numberField(cache, 'read') + numberField(cache, 'write');
            outcome.tokensOut += numberField(tokens, 'output') + numberField(tokens, 'reasoning');
            costDollars += numberField(part, 'cost');
            outcome.costMicroDollars = toMicroDollars(costDollars);
            return [];
          }
          case 'error': {
            const error = recordField(event, 'error');
            outcome.reportedError =
              stringField(recordField(error, 'data'), 'message') ?? stringField(error, 'name') ?? 'opencode reported an error';
            return [{ kind: 'output', text: outcome.reportedError, isError: true }];
          }
          default:
            return [];
        }
      },
      outcome: () => ({ ...outcome }),
    };
  },
};
