import { z } from 'zod';
import { agentRuntimeKindSchema, modelProviderSchema } from '../agent-runs.js';
import { idSchema } from '../common.js';
import { defineEvent } from './event-base.js';

export const runStartedEventSchema = defineEvent(
  'run-started',
  { id: 'RunStartedEvent', description: "A built-in agent's turn started (on its schedule, a wake, or a chat message)." },
  {
    runId: idSchema,
    trigger: z.string().describe('schedule, wake, chat'),
    provider: z.string(),
    model: z.string(),
  },
);

export const runStepEventSchema = defineEvent(
  'run-step',
  {
    id: 'RunStepEvent',
    description: 'A running turn recorded a step: a model answer or a tool call (the full step is in the run transcript).',
  },
  {
    runId: idSchema,
    index: z.number().int(),
    kind: z.enum(['model', 'tool-call']),
    toolName: z.string().optional().describe('Tool calls only'),
    isError: z.boolean().optional().describe('Tool calls only'),
    tokensIn: z.number().int().optional().describe('Model steps only'),
    tokensOut: z.number().int().optional().describe('Model steps only'),
  },
);

const runOutcomeShape = {
  runId: idSchema,
  outcome: z.enum(['completed', 'step-limit', 'failed']),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costMicroDollars: z.number().int().describe('Millionths of a US dollar'),
  modelCalls: z.number().int(),
  durationMs: z.number().describe('Wall-clock time of the turn'),
};

export const runFinishedEventSchema = defineEvent(
  'run-finished',
  { id: 'RunFinishedEvent', description: 'A turn ended normally (completed, or stopped at its step limit), with its usage.' },
  runOutcomeShape,
);

export const runFailedEventSchema = defineEvent(
  'run-failed',
  { id: 'RunFailedEvent', description: 'A turn failed (a model or tool error); a scheduled agent backs off before its next turn.' },
  runOutcomeShape,
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
  agentRuntimeUpdatedEventSchema,
] as const;
