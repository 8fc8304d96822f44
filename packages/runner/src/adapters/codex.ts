import type { RunStepOptions } from '@mission-control/sdk';
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
} from './adapter.js';

/**
 * Codex non-interactive: `codex exec --json` prints JSON Lines — `thread.started` (thread_id,
 * the id `codex exec resume <thread_id>` continues), `turn.started`, `item.started` /
 * `item.updated` / `item.completed` with an `item` (agent_message, reasoning, command_execution
 * with command, aggregated_output, exit_code and status, file_change with changes, mcp_tool_call,
 * web_search, todo_list, error), `turn.completed` with usage (input_tokens, cached_input_tokens,
 * output_tokens), `turn.failed` with error.message, and `error`. It reports no cost.
 */
export const codexAdapter: Adapter = {
  name: 'codex',
  executable: 'codex',
  environmentNames: ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CODEX_HOME', 'CODEX_API_KEY'],
  invocation(request) {
    const [command, ...extra] = request.command ?? ['codex'];
    const args = [...extra, 'exec', '--json', '--full-auto'];
    if (request.model) args.push('--model', request.model);
    // `-` reads the prompt from stdin.
    if (request.sessionId) args.push('resume', request.sessionId, '-');
    else args.push('-');
    return { command: command ?? 'codex', args, stdin: request.prompt };
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
        const event = parseJsonLine(line);
        if (!event) return [parseErrorStep(line, 'not a JSON object')];
        const type = stringField(event, 'type');
        switch (type) {
          case 'thread.started':
            outcome.sessionId = stringField(event, 'thread_id') ?? outcome.sessionId;
            return [];
          case 'turn.started':
            outcome.modelCalls += 1;
            return [];
          case 'turn.completed': {
            const usage = recordField(event, 'usage');
            outcome.tokensIn += numberField(usage, 'input_tokens');
            outcome.tokensOut += numberField(usage, 'output_tokens');
            return [];
          }
          case 'turn.failed':
            outcome.reportedError = stringField(recordField(event, 'error'), 'message') ?? 'the turn failed';
            return [{ kind: 'output', text: outcome.reportedError, isError: true }];
          case 'error':
            return [{ kind: 'output', text: stringField(event, 'message') ?? line, isError: true }];
          case 'item.started':
          case 'item.updated':
          case 'item.completed':
            return itemSteps(type, recordField(event, 'item'), outcome, line);
          default:
            return [];
        }
      },
      outcome: () => ({ ...outcome }),
    };
  },
};

function itemSteps(type: string, item: Record<string, unknown> | undefined, outcome: AdapterOutcome, line: string): RunStepOptions[] {
  if (!item) return [parseErrorStep(line, `${type} without an item`)];
  const kind = stringField(item, 'type');
  const id = stringField(item, 'id') ?? '';
  if (type === 'item.started') {
    if (kind === 'command_execution')
      return [{ kind: 'tool-call', toolName: 'shell', arguments: { command: stringField(item, 'command') }, toolCallId: id }];
    if (kind === 'mcp_tool_call')
      return [
        {
          kind: 'tool-call',
          toolName: `${stringField(item, 'server') ?? 'mcp'}.${stringField(item, 'tool') ?? 'tool'}`,
          arguments: field(item, 'arguments'),
          toolCallId: id,
        },
      ];
    return [];
  }
  if (type === 'item.updated') return [];
  switch (kind) {
    case 'agent_message': {
      const text = stringField(item, 'text') ?? '';
      outcome.output = text;
      return [{ kind: 'model', text: clip(text) }];
    }
    case 'command_execution': {
      const exitCode = field(item, 'exit_code');
      return [
        {
          kind: 'tool-result',
          toolCallId: id,
          result: clip(stringField(item, 'aggregated_output') ?? ''),
          isError: stringField(item, 'status') === 'failed' || (typeof exitCode === 'number' && exitCode !== 0),
        },
      ];
    }
    case 'file_change':
      return [
        {
          kind: 'tool-call',
          toolName: 'file_change',
          arguments: { changes: field(item, 'changes') },
          toolCallId: id,
          result: stringField(item, 'status') ?? 'completed',
        },
      ];
    case 'mcp_tool_call':
      return [
        {
          kind: 'tool-result',
          toolCallId: id,
          result: clip(JSON.stringify(field(item, 'result') ?? null)),
          isError: stringField(item, 'status') === 'failed',
        },
      ];
    case 'web_search':
      return [{ kind: 'tool-call', toolName: 'web_search', arguments: { query: stringField(item, 'query') }, toolCallId: id }];
    case 'error':
      return [{ kind: 'output', text: stringField(item, 'message') ?? 'error', isError: true }];
    default:
      return [];
  }
}
