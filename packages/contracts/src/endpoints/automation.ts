import { z } from 'zod';
import {
  createRoutineSchema,
  createTriggerSchema,
  routineFiredSchema,
  routineSchema,
  triggerSchema,
  updateRoutineSchema,
  updateTriggerSchema,
} from '../automation.js';
import { idParamsSchema } from '../common.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'workflows';
const writers = 'Members, admins, owners and agents may; viewers get 403. The routine or trigger acts in the name of its creator.';

export const createRoutine = defineEndpoint({
  operationId: 'createRoutine',
  method: 'POST',
  path: '/api/v1/routines',
  tag,
  auth: 'any',
  summary: 'Create a routine',
  description: `Runs a workflow (workflowId, with inputs and an optional abSplit) or creates a task on a cron schedule in a time zone. The answer has \`nextRunAt\`. A schedule that is not cron, or a time zone that does not exist, answers 400 ROUTINE_SCHEDULE_INVALID. When the server was down through several slots, the routine runs once, not once per slot. ${writers}`,
  body: createRoutineSchema,
  responses: { 201: { description: 'The routine', schema: routineSchema } },
  errors: ['FORBIDDEN', 'ROUTINE_SCHEDULE_INVALID', 'WORKFLOW_NOT_FOUND'],
});

export const listRoutines = defineEndpoint({
  operationId: 'listRoutines',
  method: 'GET',
  path: '/api/v1/routines',
  tag,
  auth: 'any',
  summary: "The workspace's routines",
  description: 'Newest first.',
  responses: { 200: { description: 'The routines', schema: z.object({ data: z.array(routineSchema) }) } },
  errors: [],
});

export const updateRoutine = defineEndpoint({
  operationId: 'updateRoutine',
  method: 'PATCH',
  path: '/api/v1/routines/{id}',
  tag,
  auth: 'any',
  summary: 'Change a routine',
  description: `A new schedule or time zone moves nextRunAt. ${writers}`,
  params: idParamsSchema,
  body: updateRoutineSchema,
  responses: { 200: { description: 'The routine', schema: routineSchema } },
  errors: ['FORBIDDEN', 'ROUTINE_NOT_FOUND', 'ROUTINE_SCHEDULE_INVALID'],
});

export const deleteRoutine = defineEndpoint({
  operationId: 'deleteRoutine',
  method: 'DELETE',
  path: '/api/v1/routines/{id}',
  tag,
  auth: 'any',
  summary: 'Delete a routine',
  description: writers,
  params: idParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['FORBIDDEN', 'ROUTINE_NOT_FOUND'],
});

export const triggerRoutine = defineEndpoint({
  operationId: 'triggerRoutine',
  method: 'POST',
  path: '/api/v1/routines/{id}/trigger',
  tag,
  auth: 'any',
  summary: 'Run a routine now',
  description: `Its schedule stays as it was. ${writers} Appends \`routine-fired\`.`,
  params: idParamsSchema,
  responses: { 201: { description: 'What it started', schema: routineFiredSchema } },
  errors: ['FORBIDDEN', 'ROUTINE_NOT_FOUND', 'WORKFLOW_NOT_FOUND'],
});

export const createTrigger = defineEndpoint({
  operationId: 'createTrigger',
  method: 'POST',
  path: '/api/v1/triggers',
  tag,
  auth: 'any',
  summary: 'Create a trigger',
  description: `IF an event of type \`on\` (and \`if\`, CEL over \`event\`, is true) THEN one action: startWorkflow, createTask, postMessage or notify. Events from now on are looked at, each once per trigger however many instances run. The loop guard: an event caused by trigger actions more than maxDepth deep does not fire it. An \`if\` or a \`\${…}\` that is not CEL answers 400 TRIGGER_INVALID. ${writers}`,
  body: createTriggerSchema,
  responses: { 201: { description: 'The trigger', schema: triggerSchema } },
  errors: ['FORBIDDEN', 'TRIGGER_INVALID'],
});

export const listTriggers = defineEndpoint({
  operationId: 'listTriggers',
  method: 'GET',
  path: '/api/v1/triggers',
  tag,
  auth: 'any',
  summary: "The workspace's triggers",
  description: 'Newest first.',
  responses: { 200: { description: 'The triggers', schema: z.object({ data: z.array(triggerSchema) }) } },
  errors: [],
});

export const updateTrigger = defineEndpoint({
  operationId: 'updateTrigger',
  method: 'PATCH',
  path: '/api/v1/triggers/{id}',
  tag,
  auth: 'any',
  summary: 'Change a trigger',
  description: writers,
  params: idParamsSchema,
  body: updateTriggerSchema,
  responses: { 200: { description: 'The trigger', schema: triggerSchema } },
  errors: ['FORBIDDEN', 'TRIGGER_NOT_FOUND', 'TRIGGER_INVALID'],
});

export const deleteTrigger = defineEndpoint({
  operationId: 'deleteTrigger',
  method: 'DELETE',
  path: '/api/v1/triggers/{id}',
  tag,
  auth: 'any',
  summary: 'Delete a trigger',
  description: writers,
  params: idParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['FORBIDDEN', 'TRIGGER_NOT_FOUND'],
});
