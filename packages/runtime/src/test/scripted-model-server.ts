// Test support: a real HTTP server on port 0 that speaks the OpenAI chat-completions protocol
// (JSON and streamed) and the Anthropic messages protocol, answering from a script. Runtime and
// server tests point real providers at it, so no test needs the internet or a model.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the script sees of a model request, the same for both protocols. */
export interface ScriptedRequest {
  protocol: 'openai' | 'anthropic';
  model: string;
  system: string;
  /** Every message's text (user, assistant and tool results), in order. */
  transcript: string[];
  toolNames: string[];
  stream: boolean;
  /** How many tool results the conversation holds: 0 on the first call of a turn. */
  toolResultCount: number;
}

/** One scripted answer: text, tool calls, or a provider error. */
export type ScriptedAnswer =
  | { text?: string; toolCalls?: { name: string; arguments: Record<string, unknown> }[]; usage?: { input: number; output: number } }
  | { status: number; error: string };

/** Answers a request; a promise holds the answer back until the test lets it go. */
export type ModelScript = (request: ScriptedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>;

export interface ScriptedModelServer {
  /** For openai-compatible providers: http://127.0.0.1:<port>/v1 */
  baseUrl: string;
  requests: ScriptedRequest[];
  setScript(script: ModelScript): void;
  close(): Promise<void>;
}

function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: Record<string, unknown>) => {
      if (typeof part.text === 'string') return part.text;
      if (part.type === 'tool_result') return textOfContent(part.content);
      if (part.type === 'tool_use') return `[tool_use ${String(part.name)}]`;
      return '';
    })
    .join('\n');
}

function parseOpenAi(body: Record<string, unknown>): ScriptedRequest {
  const messages = (body.messages as Record<string, unknown>[]) ?? [];
  return {
    protocol: 'openai',
    model: String(body.model),
    system: messages
      .filter((message) => message.role === 'system')
      .map((message) => textOfContent(message.content))
      .join('\n'),
    transcript: messages.filter((message) => message.role !== 'system').map((message) => textOfContent(message.content)),
    toolNames: ((body.tools as { function: { name: string } }[]) ?? []).map((entry) => entry.function.name),
    stream: body.stream === true,
    toolResultCount: messages.filter((message) => message.role === 'tool').length,
  };
}

function parseAnthropic(body: Record<string, unknown>): ScriptedRequest {
  const messages = (body.messages as Record<string, unknown>[]) ?? [];
  const system = Array.isArray(body.system) ? textOfContent(body.system) : String(body.system ?? '');
  return {
    protocol: 'anthropic',
    model: String(body.model),
    system,
    transcript: messages.map((message) => textOfContent(message.content)),
    toolNames: ((body.tools as { name: string }[]) ?? []).map((entry) => entry.name),
    stream: body.stream === true,
    toolResultCount: messages
      .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
      .filter((part: Record<string, unknown>) => part.type === 'tool_result').length,
  };
}

let callCounter = 0;

function answerOpenAi(response: http.ServerResponse, request: ScriptedRequest, answer: Exclude<ScriptedAnswer, { status: number }>) {
  const usage = answer.usage ?? { input: 100, output: 20 };
  const toolCalls = (answer.toolCalls ?? []).map((call) => ({
    id: `call_${++callCounter}`,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
  const finishReason = toolCalls.length ? 'tool_calls' : 'stop';
  const base = { id: `chatcmpl-${callCounter}`, created: Math.floor(Date.now() / 1000), model: request.model };
  const openAiUsage = { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output };
  if (!request.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer.text ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
            finish_reason: finishReason,
          },
        ],
        usage: openAiUsage,
      }),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
  chunk({ role: 'assistant', content: '' });
  // Text goes out word by word, as a real model streams it.
  for (const word of (answer.text ?? '').split(/(?<= )/)) if (word) chunk({ content: word });
  for (const [index, call] of toolCalls.entries()) chunk({ tool_calls: [{ index, ...call }] });
  chunk({}, finishReason);
  send({ ...base, object: 'chat.completion.chunk', choices: [], usage: openAiUsage });
  response.end('data: [DONE]\n\n');
}

function answerAnthropic(response: http.ServerResponse, request: ScriptedRequest, answer: Exclude<ScriptedAnswer, { status: number }>) {
  const usage = answer.usage ?? { input: 100, output: 20 };
  const content = [
    ...(answer.text ? [{ type: 'text' as const, text: answer.text }] : []),
    ...(answer.toolCalls ?? []).map((call) => ({
      type: 'tool_use' as const,
      id: `toolu_${++callCounter}`,
      name: call.name,
      input: call.arguments,
    })),
  ];
  const stopReason = answer.toolCalls?.length ? 'tool_use' : 'end_turn';
  const message = { id: `msg_${++callCounter}`, type: 'message', role: 'assistant', model: request.model };
  if (!request.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        ...message,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      }),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, payload: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  send('message_start', {
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 0 } },
  });
  for (const [index, part] of content.entries()) {
    if (part.type === 'text') {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const word of String(part.text).split(/(?<= )/)) {
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: word } });
      }
    } else {
      send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: part.id, name: part.name, input: {} },
      });
      send('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(part.input) },
      });
    }
    send('content_block_stop', { type: 'content_block_stop', index });
  }
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: usage.output },
  });
  send('message_stop', { type: 'message_stop' });
  response.end();
}

/** Starts the scripted model server on 127.0.0.1, port 0. */
export async function startScriptedModelServer(script: ModelScript = () => ({ text: 'Nothing to do.' })): Promise<ScriptedModelServer> {
  let current = script;
  const requests: ScriptedRequest[] = [];
  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const anthropic = incoming.url?.endsWith('/messages') ?? false;
      const request = anthropic ? parseAnthropic(body) : parseOpenAi(body);
      requests.push(request);
      void (async (): Promise<ScriptedAnswer> => current(request))()
        .catch((error: unknown): ScriptedAnswer => ({ status: 500, error: error instanceof Error ? error.message : String(error) }))
        .then((answer) => {
          if ('status' in answer) {
            response.writeHead(answer.status, { 'content-type': 'application/json' });
            response.end(
              JSON.stringify(
                anthropic
                  ? { type: 'error', error: { type: 'api_error', message: answer.error } }
                  : { error: { message: answer.error, type: 'server_error' } },
              ),
            );
            return;
          }
          if (anthropic) answerAnthropic(response, request, answer);
          else answerOpenAi(response, request, answer);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setScript(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
