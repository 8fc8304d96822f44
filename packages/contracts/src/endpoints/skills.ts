import { idParamsSchema, pageSchema } from '../common.js';
import {
  agentSkillUsageSchema,
  createSkillFromTaskSchema,
  createSkillSchema,
  listOutcomesQuerySchema,
  listSkillsQuerySchema,
  listSkillVersionsQuerySchema,
  recordSkillUseSchema,
  replaceSkillSchema,
  skillSchema,
  skillSummarySchema,
  skillUseSchema,
  skillVersionSchema,
  taskOutcomeSchema,
  updateSkillSchema,
} from '../skills.js';
import { taskParamsSchema } from '../tasks.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'skills';
const theSkill = { 200: { description: 'The skill', schema: skillSchema } };

export const listOutcomes = defineEndpoint({
  operationId: 'listOutcomes',
  method: 'GET',
  path: '/api/v1/outcomes',
  tag,
  auth: 'any',
  summary: 'List task outcomes, newest first',
  description:
    'One outcome per agent assigned when a task ends: done, failed, sent back by review (review to in_progress or assigned) or escalated to a person, with the capabilities the task required, how long it took, what the agent’s runs on it cost and the review result. They are recorded in the transaction of the status change and feed the assignment score. `agentId`, `capability` and `taskId` filter. Cursor-paginated.',
  query: listOutcomesQuerySchema,
  responses: { 200: { description: 'A page of outcomes', schema: pageSchema(taskOutcomeSchema) } },
  errors: ['FORBIDDEN'],
});

export const createSkill = defineEndpoint({
  operationId: 'createSkill',
  method: 'POST',
  path: '/api/v1/skills',
  tag,
  auth: 'any',
  summary: 'Write a skill: a named markdown procedure',
  description:
    'Owners, admins, members, and lead or reviewer agents write skills; specialists and viewers answer 403 (specialists find and read them). `sourceTaskId` names the solved task it was learned from. Appends a `skill-created` event; the skill is found by `GET /api/v1/skills?q=`, `GET /api/v1/search` and the `find_skill` tool.',
  body: createSkillSchema,
  responses: { 201: { description: 'The new skill, version 1', schema: skillSchema } },
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND'],
});

export const createSkillFromTask = defineEndpoint({
  operationId: 'createSkillFromTask',
  method: 'POST',
  path: '/api/v1/tasks/{id}/skill',
  tag,
  auth: 'any',
  summary: 'Turn a solved task into a skill',
  description:
    'For a lead or reviewer agent, or a person who may write skills. Every field is optional: the name defaults to the task title, the capabilities to the task’s required ones, and the procedure to the task’s last message and the content of its documents, to edit afterwards. The task must be done (409 TASK_INVALID_TRANSITION otherwise). Appends a `skill-created` event.',
  params: taskParamsSchema,
  body: createSkillFromTaskSchema,
  responses: { 201: { description: 'The new skill', schema: skillSchema } },
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'TASK_INVALID_TRANSITION'],
});

export const listSkills = defineEndpoint({
  operationId: 'listSkills',
  method: 'GET',
  path: '/api/v1/skills',
  tag,
  auth: 'any',
  summary: 'List or search the workspace’s skills',
  description:
    'Without `q`, newest first and cursor-paginated. With `q`, any word may match the name, description or procedure, best match first (the one search index; the cursor is not used). `capability` keeps skills that serve it. Each skill says how often it was used and how those tasks ended.',
  query: listSkillsQuerySchema,
  responses: { 200: { description: 'A page of skills, without their procedure', schema: pageSchema(skillSummarySchema) } },
  errors: ['FORBIDDEN'],
});

export const getSkill = defineEndpoint({
  operationId: 'getSkill',
  method: 'GET',
  path: '/api/v1/skills/{id}',
  tag,
  auth: 'any',
  summary: 'Read a skill with its procedure',
  description: 'An agent following it for a task records that with `POST /api/v1/skills/{id}/uses` (the `read_skill` tool does both).',
  params: idParamsSchema,
  responses: theSkill,
  errors: ['FORBIDDEN', 'SKILL_NOT_FOUND'],
});

export const updateSkill = defineEndpoint({
  operationId: 'updateSkill',
  method: 'PATCH',
  path: '/api/v1/skills/{id}',
  tag,
  auth: 'any',
  summary: 'Edit some fields of a skill, as a new version',
  description:
    'Changes only the fields sent; a change makes a new version (one that changes nothing makes none) and appends a `skill-versioned` event. Send the `baseVersion` you edited: when a newer version was saved meanwhile the answer is 409 SKILL_VERSION_CONFLICT with `details.currentVersion`; fetch the skill, merge and send again.',
  params: idParamsSchema,
  body: updateSkillSchema,
  responses: theSkill,
  errors: ['FORBIDDEN', 'SKILL_NOT_FOUND', 'SKILL_VERSION_CONFLICT'],
});

export const replaceSkill = defineEndpoint({
  operationId: 'replaceSkill',
  method: 'PUT',
  path: '/api/v1/skills/{id}',
  tag,
  auth: 'any',
  summary: 'Replace the editable fields of a skill, as a new version',
  description:
    'A full update: every field takes the value sent, a field left out its default (no description, no capabilities). A change makes a new version and appends a `skill-versioned` event; a stale `baseVersion` answers 409 SKILL_VERSION_CONFLICT.',
  params: idParamsSchema,
  body: replaceSkillSchema,
  responses: theSkill,
  errors: ['FORBIDDEN', 'SKILL_NOT_FOUND', 'SKILL_VERSION_CONFLICT'],
});

export const deleteSkill = defineEndpoint({
  operationId: 'deleteSkill',
  method: 'DELETE',
  path: '/api/v1/skills/{id}',
  tag,
  auth: 'any',
  summary: 'Delete a skill with its versions and uses',
  description: 'Appends a `skill-deleted` event. It leaves the search index in the same transaction.',
  params: idParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['FORBIDDEN', 'SKILL_NOT_FOUND'],
});

export const listSkillVersions = defineEndpoint({
  operationId: 'listSkillVersions',
  method: 'GET',
  path: '/api/v1/skills/{id}/versions',
  tag,
  auth: 'any',
  summary: 'List the versions of a skill, newest first',
  description: 'Every saved version with its full procedure. Cursor-paginated (the cursor is a version number).',
  params: idParamsSchema,
  query: listSkillVersionsQuerySchema,
  responses: { 200: { description: 'A page of versions', schema: pageSchema(skillVersionSchema) } },
  errors: ['FORBIDDEN', 'SKILL_NOT_FOUND'],
});

export const recordSkillUse = defineEndpoint({
  operationId: 'recordSkillUse',
  method: 'POST',
  path: '/api/v1/skills/{id}/uses',
  tag,
  auth: 'agent',
  summary: 'Record that you follow a skill for a task',
  description:
    'For agents. Links the skill to the task named (one you are assigned to), or to every task you have in progress when none is named; the outcome of those tasks counts toward the skill’s success counts. Recording the same task twice keeps one use. An empty list means you hold no task in progress.',
  params: idParamsSchema,
  body: recordSkillUseSchema,
  responses: { 200: { description: 'The uses recorded', schema: skillUseSchema.array() } },
  errors: ['FORBIDDEN', 'SKILL_NOT_FOUND', 'TASK_NOT_FOUND'],
});

export const listAgentSkills = defineEndpoint({
  operationId: 'listAgentSkills',
  method: 'GET',
  path: '/api/v1/agents/{id}/skills',
  tag,
  auth: 'any',
  summary: 'The skills an agent used, with success counts',
  description:
    'Each skill the agent read for a task, most recently used first, with how many of those tasks were done and how many failed or were escalated.',
  params: idParamsSchema,
  responses: { 200: { description: 'The skills used', schema: agentSkillUsageSchema.array() } },
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND'],
});
