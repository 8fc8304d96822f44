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
 * Gemini CLI headless: `gemini --output-format stream-json` prints JSON Lines — `init`
 * (session_id, model), `message` (role, content, delta: pieces to join), `tool_use` (tool_name,
 * tool_id, parameters), `tool_result` (tool_id, status success|error, output, error), `error`
 * (severity, message) and a final `result` (status, error, stats with total_tokens,
 * input_tokens, output_tokens, duration_ms, tool_calls). `-p` is appended to what stdin holds;
 * `--resume <session_id>` continues a session. It reports no cost.
 */
export const geminiAdapter: Adapter = {
  name: 'gemini',
  executable: 'gemini',
  environmentNames: [
    'GEMINI_API_KEY',
    'GOOGLE_API_KEY',
    'GOOGLE_CLOUD_PROJECT',
    'GOOGLE_CLOUD_LOCATION',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'GOOGLE_GENAI_USE_VERTEXAI',
  ],
  invocation(request) {
    const [command, ...extra] = request.command ?? ['gemini'];
    const args = [...extra, '--output-format', 'stream-json', '--yolo'];
    if (request.model) args.push('--model', request.model);
    if (request.sessionId) args.push('--resume', request.sessionId);
    args.push('--prompt', 'Do the task described above.');
    return { command: command ?? 'gemini', args, stdin: request.prompt };
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
    let pending = '';
    const flush = (): RunStepOptions[] => {
      if (!pending) return [];
      const text = pending;
      pending = '';
      outcome.output = text;
      outcome.modelCalls += 1;
      return [{ kind: 'model', text: clip(text) }];
    };
    return {
      parseLine(line) {
        const event = parseJsonLine(line);
        if (!event) return [parseErrorStep(line, 'not a JSON object')];
        const type = stringField(event, 'type');
        if (type === 'message') {
          if (stringField(event, 'role') !== 'assistant') return [];
          const content = stringField(event, 'content') ?? '';
          const steps = field(event, 'delta') === true ? [] : flush();
          pending += content;
          return field(event, 'delta') === true ? steps : [...steps, ...flush()];
        }
        const steps = flush();
        switch (type) {
          case 'init':
            outcome.sessionId = stringField(event, 'session_id') ?? outcome.sessionId;
            outcome.model = stringField(event, 'model') ?? outcome.model;
            return steps;
          case 'tool_use':
            return [
              ...steps,
              {
                kind: 'tool-call',
                toolName: stringField(event, 'tool_name') ?? 'tool',
                arguments: field(event, 'parameters'),
                toolCallId: stringField(event, 'tool_id') ?? '',
              },
            ];
          case 'tool_result': {
            const failed = stringField(event, 'status') === 'error';
            const output = stringField(event, 'output') ?? stringField(recordField(event, 'error'), 'message') ?? '';
            return [
              ...steps,
              { kind: 'tool-result', toolCallId: stringField(event, 'tool_id') ?? '', result: clip(output), isError: failed },
            ];
          }
          case 'error':
            return [...steps, { kind: 'output', text: stringField(event, 'message') ?? line, isError: true }];
          case 'result': {
            const stats = recordField(event, 'stats');
            outcome.tokensIn = numberField(stats, 'input_tokens');
            outcome.tokensOut = numberField(stats, 'output_tokens');
            if (stringField(event, 'status') === 'error') {
              outcome.reportedError = stringField(recordField(event, 'error'), 'message') ?? 'gemini reported an error';
            }
            return steps;
          }
          default:
            return steps;
        }
      },
      outcome: () => ({ ...outcome }),
    };
  },
};
