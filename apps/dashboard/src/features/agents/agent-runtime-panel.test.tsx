import type { AgentRun, AgentRuntime, ChatMessage, Usage } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { AgentChat } from './agent-chat';
import { AgentRuntimePanel } from './agent-runtime-panel';

const agentId = testId();
const at = '2026-01-01T09:00:00.000Z';

const runtime: AgentRuntime = {
  agentId,
  runtime: 'builtin',
  provider: null,
  model: 'qwen3',
  temperature: null,
  stepLimit: 12,
  instructions: '',
  workspace: null,
  state: 'backing-off',
  nextRunAt: at,
  lastRunAt: at,
  failures: 2,
  backoffUntil: at,
  lastError: 'APICallError 503: upstream model unavailable',
  wakeRequestedAt: null,
};

const run: AgentRun = {
  id: testId(),
  workspaceId: testId(),
  agentId,
  taskId: null,
  trigger: 'schedule',
  status: 'completed',
  provider: 'openai-compatible',
  model: 'qwen3',
  tokensIn: 1_200,
  tokensOut: 80,
  costMicroDollars: 2_500,
  modelCalls: 2,
  durationMs: 900,
  output: 'Sent TASK-3 to review.',
  error: null,
  startedAt: at,
  finishedAt: at,
  adapter: null,
  runnerId: null,
  sessionId: null,
  branch: null,
  commit: null,
  cancelRequestedAt: null,
  testResult: null,
};

const usage: Usage = {
  from: at,
  to: at,
  total: { runs: 1, modelCalls: 2, tokensIn: 1_200, tokensOut: 80, costMicroDollars: 2_500 },
  byAgent: [],
};

describe('AgentRuntimePanel', () => {
  it('shows the scheduler state and last error, usage and runs with their transcript, and wakes the agent', async () => {
    const { calls } = renderWithApp(<AgentRuntimePanel agentId={agentId} />, {
      [`GET /agents/${agentId}/runtime`]: () => ({ status: 200, body: runtime }),
      [`POST /agents/${agentId}/wake`]: () => ({ status: 202, body: { ...runtime, wakeRequestedAt: at } }),
      [`GET /agents/${agentId}/runs`]: () => ({ status: 200, body: { data: [run], nextCursor: null } }),
      [`GET /runs/${run.id}`]: () => ({
        status: 200,
        body: {
          ...run,
          prompt: { system: 'You are…', prompt: 'Woken by: schedule.' },
          steps: [
            { index: 0, kind: 'model', text: '', finishReason: 'tool-calls', tokensIn: 600, tokensOut: 40, at },
            { index: 1, kind: 'tool-call', toolName: 'claim_next_task', arguments: {}, result: 'Claimed TASK-3', isError: false, at },
          ],
        },
      }),
      'GET /usage': () => ({ status: 200, body: usage }),
    });
    expect(await screen.findByText('backing-off')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('upstream model unavailable');
    expect(await screen.findByText('$0.0025')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: /completed · schedule · qwen3/ }));
    expect(await screen.findByText('Tool claim_next_task')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Wake now' }));
    await waitFor(() => expect(calls.some((call) => call.method === 'POST' && call.path === `/agents/${agentId}/wake`)).toBe(true));
  });
});

describe('AgentChat', () => {
  it('shows the answer while it streams in, then the kept conversation', async () => {
    const answer: ChatMessage = { id: testId(), agentId, role: 'assistant', authorId: agentId, content: 'Hello there.', createdAt: at };
    let history: ChatMessage[] = [];
    const encoder = new TextEncoder();
    let finish: () => void = () => {};
    const stream = () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode('event: delta\ndata: {"type":"delta","text":"Hello "}\n\n'));
          finish = () => {
            controller.enqueue(encoder.encode('event: delta\ndata: {"type":"delta","text":"there."}\n\n'));
            controller.enqueue(
              encoder.encode(
                `event: done\ndata: ${JSON.stringify({ type: 'done', message: answer, runId: testId(), tokensIn: 10, tokensOut: 3, costMicroDollars: 0 })}\n\n`,
              ),
            );
            controller.close();
          };
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    };
    const { calls } = renderWithApp(<AgentChat agentId={agentId} agentName="atlas" />, {
      [`GET /agents/${agentId}/chat`]: () => ({ status: 200, body: { data: history } }),
      [`POST /agents/${agentId}/chat`]: stream,
    });
    fireEvent.change(await screen.findByLabelText('Message'), { target: { value: 'Hi atlas' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    // Part of the answer is on screen before the stream ends.
    expect(await screen.findByText('Hello')).toBeTruthy();
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      { method: 'POST', path: `/agents/${agentId}/chat`, body: { content: 'Hi atlas' } },
    ]);
    history = [{ id: testId(), agentId, role: 'user', authorId: testId(), content: 'Hi atlas', createdAt: at }, answer];
    finish();
    expect(await screen.findByText('Hello there.')).toBeTruthy();
    expect(screen.getByText('Hi atlas')).toBeTruthy();
  });

  it('says why when the model fails after the answer began', async () => {
    renderWithApp(
      <>
        <AgentChat agentId={agentId} agentName="atlas" />
        <Toaster />
      </>,
      {
        [`GET /agents/${agentId}/chat`]: () => ({ status: 200, body: { data: [] } }),
        [`POST /agents/${agentId}/chat`]: () =>
          new Response('event: error\ndata: {"type":"error","message":"The model is unavailable; try again."}\n\n', {
            status: 200,
            headers: { 'content-type': 'text/event-stream' },
          }),
      },
    );
    fireEvent.change(await screen.findByLabelText('Message'), { target: { value: 'Hi atlas' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('The model is unavailable; try again.')).toBeTruthy();
  });

  it('shows a refusal before the stream (an external agent) as the server words it', async () => {
    renderWithApp(
      <>
        <AgentChat agentId={agentId} agentName="atlas" />
        <Toaster />
      </>,
      {
        [`GET /agents/${agentId}/chat`]: () => ({ status: 200, body: { data: [] } }),
        [`POST /agents/${agentId}/chat`]: () => ({
          status: 409,
          body: { error: { code: 'AGENT_NOT_BUILTIN', message: 'atlas runs outside Mission Control: talk to it in a task thread.' } },
        }),
      },
    );
    fireEvent.change(await screen.findByLabelText('Message'), { target: { value: 'Hi atlas' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('atlas runs outside Mission Control: talk to it in a task thread.')).toBeTruthy();
  });
});

describe('Wake now says what applies to the agent (defect 9)', () => {
  const emptyRoutes = (answer: AgentRuntime) => ({
    [`GET /agents/${agentId}/runtime`]: () => ({ status: 200, body: answer }),
    [`GET /agents/${agentId}/runs`]: () => ({ status: 200, body: { data: [], nextCursor: null } }),
    'GET /usage': () => ({ status: 200, body: usage }),
  });

  it('is off for an external agent, with the reason in words', async () => {
    renderWithApp(<AgentRuntimePanel agentId={agentId} />, emptyRoutes({ ...runtime, runtime: 'external', model: null }));
    const button = await screen.findByRole('button', { name: 'Wake now' });
    expect(button.hasAttribute('disabled')).toBe(true);
    expect(screen.getByText(/runs outside Mission Control/)).toBeTruthy();
  });

  it('is off for a built-in agent without a model, and says to choose one', async () => {
    renderWithApp(<AgentRuntimePanel agentId={agentId} />, emptyRoutes({ ...runtime, model: null }));
    const button = await screen.findByRole('button', { name: 'Wake now' });
    expect(button.hasAttribute('disabled')).toBe(true);
    expect(screen.getByText(/Choose a provider and model first/)).toBeTruthy();
  });
});
