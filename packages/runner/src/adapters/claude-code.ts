import type { RunStepOptions } from '@mission-control/sdk';
import {
  type Adapter,
  type AdapterOutcome,
  arrayField,
  clip,
  field,
  numberField,
  parseErrorStep,
  parseJsonLine,
  recordField,
  stringField,
  textOf,
  toMicroDollars,
} from './adapter.js';

/**
 * Claude Code in print mode: `claude -p --output-format stream-json --verbose` prints one JSON
 * object per line — `system` (subtype `init`: session_id, model, tools), `assistant` and `user`
 * messages whose `message.content` holds text, tool_use and tool_result blocks, and a final
 * `result` (subtype success or error_*, is_error, result, session_id, num_turns,
 * total_cost_usd, usage with input/output/cache tokens). `--resume <session_id>` continues a session.
 */
export const claudeCodeAdapter: Adapter = {
  name: 'claude-code',
  executable: 'claude',
  environmentNames: [
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_AUTH_TOKEN',
    'ANTHROPIC_BASE_URL',
    'ANTHROPIC_MODEL',
    'CLAUDE_CONFIG_DIR',
    'CLAUDE_CODE_USE_BEDROCK',
    'CLAUDE_CODE_USE_VERTEX',
    'AWS_REGION',
    'AWS_PROFILE',
  ],
  invocation(request) {
    const [command, ...extra] = request.command ?? ['claude'];
    const args = [...extra, '-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits'];
    if (request.model) args.push('--model', request.model);
    if (request.sessionId) args.push('--resume', request.sessionId);
    // The prompt goes on stdin: no argument length limit, nothing in `ps`.
    return { command: command ?? 'claude', args, stdin: request.prompt };
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
    let sawResult = false;
    return {
      parseLine(line) {
        const event = parseJsonLine(line);
        if (!event) return [parseErrorStep(line, 'not a JSON object')];
        const type = stringField(event, 'type');
        const sessionId = stringField(event, 'session_id');
        if (sessionId) outcome.sessionId = sessionId;
        if (type === 'system') {
          outcome.model = stringField(event, 'model') ?? outcome.model;
          return [];
        }
        if (type === 'assistant' || type === 'user') {
          const message = recordField(event, 'message');
          if (!message) return [parseErrorStep(line, `${type} event without a message`)];
          const steps: RunStepOptions[] = [];
          const usage = recordField(message, 'usage');
          if (type === 'assistant' && !sawResult) outcome.modelCalls += 1;
          for (const block of arrayField(message, 'content')) {
            const kind = stringField(block, 'type');
            if (kind === 'text') {
              const text = stringField(block, 'text') ?? '';
              steps.push({
                kind: 'model',
                text: clip(text),
                ...(usage ? { tokensIn: numberField(usage, 'input_tokens'), tokensOut: numberField(usage, 'output_tokens') } : {}),
              });
            } else if (kind === 'tool_use') {
              steps.push({
                kind: 'tool-call',
                toolName: stringField(block, 'name') ?? 'tool',
                arguments: field(block, 'input'),
                toolCallId: stringField(block, 'id') ?? '',
              });
            } else if (kind === 'tool_result') {
              steps.push({
                kind: 'tool-result',
                toolCallId: stringField(block, 'tool_use_id') ?? '',
                result: clip(textOf(field(block, 'content'))),
                isError: field(block, 'is_error') === true,
              });
            }
          }
          return steps;
        }
        if (type === 'result') {
          sawResult = true;
          const usage = recordField(event, 'usage');
          outcome.tokensIn =
            numberField(usage, 'input_tokens') +
            numberField(usage, 'cache_creation_input_tokens') +
            numberField(usage, 'cache_read_input_tokens');
          outcome.tokensOut = numberField(usage, 'output_tokens');
          outcome.costMicroDollars = toMicroDollars(numberField(event, 'total_cost_usd'));
          outcome.modelCalls = numberField(event, 'num_turns') || outcome.modelCalls;
          outcome.output = stringField(event, 'result') ?? '';
          const failed = field(event, 'is_error') === true || (stringField(event, 'subtype') ?? 'success') !== 'success';
          outcome.reportedError = failed ? outcome.output || (stringField(event, 'subtype') ?? 'error') : null;
          return [];
        }
        return [];
      },
      outcome: () => ({ ...outcome }),
    };
  },
};
