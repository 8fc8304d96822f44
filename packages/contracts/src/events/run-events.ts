import { z } from 'zod';
import { agentRuntimeKindSchema, modelProviderSchema, runStepKindSchema } from '../agent-runs.js';
import { idSchema, principalReferenceSchema } from '../common.js';
import { defineEvent } from './event-base.js';

export const runStartedEventSchema = defineEvent(
  'run-started',
  {
    id: 'RunStartedEvent',
    description:
      "A built-in agent's turn started (on its schedule, a wake, or a chat message), or a runner started an agent CLI on a task.",
  },
  {
    runId: idSchema,
    trigger: z.string().describe('schedule, wake, chat, runner'),
    provider: z.string(),
    model: z.string(),
    adapter: z.string().optional().describe('Runner runs only: claude-code, codex, gemini, opencode or process'),
    runnerId: idSchema.optional().describe('Runner runs only'),
  },
);

export const runStepEventSchema = defineEvent(
  'run-step',
  {
    id: 'RunStepEvent',
    description:
      'A running turn recorded a step: a model answer, a tool call or result, a line of CLI output, the test gate or a parse error (the full step is in the run transcript).',
  },
  {
    runId: idSchema,
    index: z.number().int(),
    kind: runStepKindSchema,
    toolName: z.string().optional().describe('Tool calls only'),
    isError: z.boolean().optional().describe('Tool calls only'),
    tokensIn: z.number().int().optional().describe('Model steps only'),
    tokensOut: z.number().int().optional().describe('Model steps only'),
    exitCode: z.number().int().nullable().optional().describe('Test steps only'),
  },
);

const runOutcomeShape = {
  runId: idSchema,
  outcome: z.enum(['completed', 'step-limit', 'failed', 'cancelled']),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costMicroDollars: z.number().int().describe('Millionths of a US dollar'),
  modelCalls: z.number().int(),
  durationMs: z.number().describe('Wall-clock time of the turn'),
  sessionId: z.string().nullable().optional().describe('Runner runs: the CLI session a follow-up resumes'),
  branch: z.string().nullable().optional().describe('Runner runs: the git branch'),
  commit: z.string().nullable().optional().describe('Runner runs: the commit made'),
};

export const runFinishedEventSchema = defineEvent(
  'run-finished',
  {
    id: 'RunFinishedEvent',
    description: 'A turn ended normally (completed, stopped at its step limit, or cancelled on request), with its usage.',
  },
  runOutcomeShape,
);

export const runFailedEventSchema = defineEvent(
  'run-failed',
  { id: 'RunFailedEvent', description: 'A turn failed (a model or tool error); a scheduled agent backs off before its next turn.' },
  runOutcomeShape,
);

export const runCancelRequestedEventSchema = defineEvent(
  'run-cancel-requested',
  {
    id: 'RunCancelRequestedEvent',
    description: "Someone asked to stop a runner's run; the runner kills the CLI and finishes the run as cancelled.",
  },
  {
    runId: idSchema,
    runnerId: idSchema.nullable(),
    requestedBy: principalReferenceSchema,
  },
);

export const agentRuntimeUpdatedEventSchema = defineEvent(
  'agent-runtime-updated',
  {
    id: 'AgentRuntimeUpdatedEvent',
    description: "An agent's runtime settings changed (external or built in, provider, model, step limit).",
  },
  {
    runtime: agentRuntimeKindSchema,
    provider: modelProviderSchema.nullable().describe('null: the workspace default'),
    model: z.string().nullable().describe('null: the workspace default'),
    stepLimit: z.number().int(),
    repositoryPath: z.string().nullable().optional().describe('The repository the agent works in; null: none'),
  },
);

export const runEventSchemas = [
  runStartedEventSchema,
  runStepEventSchema,
  runFinishedEventSchema,
  runFailedEventSchema,
  runCancelRequestedEventSchema,
  agentRuntimeUpdatedEventSchema,
] as const;
