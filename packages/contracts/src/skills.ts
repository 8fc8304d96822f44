import { z } from 'zod';
import { capabilitySchema } from './agents.js';
import {
  idSchema,
  markdownSchema,
  pageQuerySchema,
  principalReferenceSchema,
  taskReferenceSchema,
  textSchema,
  timestampSchema,
} from './common.js';

/** How a task ended for one of its agents: done, failed, sent back by review, or escalated to a person. */
export const outcomeKindSchema = z.enum(['done', 'failed', 'sent-back', 'escalated']);
export type OutcomeKind = z.infer<typeof outcomeKindSchema>;

/** approved: done straight from review; changes-requested: sent back by review; none: no review involved. */
export const outcomeReviewSchema = z.enum(['approved', 'changes-requested', 'none']);
export type OutcomeReview = z.infer<typeof outcomeReviewSchema>;

/** One agent's result on one task, recorded in the transaction that ended (or sent back) the task. */
export const taskOutcomeSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    taskId: idSchema,
    agentId: idSchema,
    kind: outcomeKindSchema,
    capabilities: z.array(z.string()).describe('The capabilities the task required when it ended'),
    durationMs: z.number().int().describe('From the task’s creation to this outcome'),
    costMicroDollars: z.number().int().describe('What the agent’s runs on the task cost so far, in millionths of a dollar'),
    modelCalls: z.number().int(),
    review: outcomeReviewSchema,
    reason: z.string().nullable().describe('The reason given with the status change, when there was one'),
    recordedAt: timestampSchema,
  })
  .meta({ id: 'TaskOutcome' });
export type TaskOutcome = z.infer<typeof taskOutcomeSchema>;

export const listOutcomesQuerySchema = pageQuerySchema.extend({
  agentId: idSchema.optional().describe('Only this agent’s outcomes'),
  capability: capabilitySchema.optional().describe('Only tasks that required this capability'),
  taskId: idSchema.optional().describe('Only this task’s outcomes'),
});
export type ListOutcomesQuery = z.infer<typeof listOutcomesQuerySchema>;

/** How often a skill was read for a task, and how those tasks ended. */
export const skillUsageSchema = z
  .object({
    uses: z.number().int().describe('Tasks an agent read it for'),
    succeeded: z.number().int().describe('Of those, the ones done'),
    failed: z.number().int().describe('Of those, the ones failed or escalated'),
  })
  .meta({ id: 'SkillUsage' });
export type SkillUsage = z.infer<typeof skillUsageSchema>;

/** A named, versioned markdown procedure the workspace's agents can find and follow. */
export const skillSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    name: z.string(),
    description: z.string(),
    body: z.string().describe('The procedure, in markdown'),
    capabilities: z.array(z.string()).describe('The capabilities it serves'),
    sourceTaskId: idSchema.nullable().describe('The solved task it was learned from, when there was one'),
    version: z.number().int(),
    author: principalReferenceSchema,
    usage: skillUsageSchema,
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Skill' });
export type Skill = z.infer<typeof skillSchema>;

export const skillSummarySchema = skillSchema.omit({ body: true }).meta({ id: 'SkillSummary' });
export type SkillSummary = z.infer<typeof skillSummarySchema>;

export const skillVersionSchema = z
  .object({
    skillId: idSchema,
    version: z.number().int(),
    name: z.string(),
    description: z.string(),
    body: z.string(),
    capabilities: z.array(z.string()),
    author: principalReferenceSchema,
    createdAt: timestampSchema,
  })
  .meta({ id: 'SkillVersion' });
export type SkillVersion = z.infer<typeof skillVersionSchema>;

const skillNameSchema = textSchema().trim().min(1).max(200);
const skillDescriptionSchema = textSchema().trim().max(2_000);
const skillCapabilitiesSchema = z.array(capabilitySchema).max(20);

export const createSkillSchema = z
  .strictObject({
    name: skillNameSchema,
    description: skillDescriptionSchema.default(''),
    body: markdownSchema.min(1).describe('The procedure, in markdown: the steps that solved the problem'),
    capabilities: skillCapabilitiesSchema.default([]),
    sourceTaskId: taskReferenceSchema.optional().describe('The solved task it comes from: its id or key such as TASK-7'),
  })
  .meta({ id: 'CreateSkill' });
export type CreateSkillInput = z.input<typeof createSkillSchema>;

const baseVersionSchema = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('The version you edited; a newer one on the server answers 409 instead of overwriting it');

export const updateSkillSchema = z
  .strictObject({
    name: skillNameSchema.optional(),
    description: skillDescriptionSchema.optional(),
    body: markdownSchema.min(1).optional(),
    capabilities: skillCapabilitiesSchema.optional(),
    baseVersion: baseVersionSchema,
  })
  .meta({ id: 'UpdateSkill' });
export type UpdateSkillInput = z.input<typeof updateSkillSchema>;

export const replaceSkillSchema = z
  .strictObject({
    name: skillNameSchema,
    description: skillDescriptionSchema.default(''),
    body: markdownSchema.min(1),
    capabilities: skillCapabilitiesSchema.default([]),
    baseVersion: baseVersionSchema,
  })
  .meta({ id: 'ReplaceSkill' });
export type ReplaceSkillInput = z.input<typeof replaceSkillSchema>;

export const createSkillFromTaskSchema = z
  .strictObject({
    name: skillNameSchema.optional().describe('The task title when left out'),
    description: skillDescriptionSchema.optional(),
    body: markdownSchema.min(1).optional().describe('Prefilled from the task’s final message and documents when left out'),
    capabilities: skillCapabilitiesSchema.optional().describe('The task’s required capabilities when left out'),
  })
  .meta({ id: 'CreateSkillFromTask' });
export type CreateSkillFromTaskInput = z.input<typeof createSkillFromTaskSchema>;

export const listSkillsQuerySchema = pageQuerySchema.extend({
  q: textSchema().trim().min(1).max(200).optional().describe('Words to look for in the name, description and procedure; any may match'),
  capability: capabilitySchema.optional(),
});
export type ListSkillsQuery = z.infer<typeof listSkillsQuerySchema>;

export const listSkillVersionsQuerySchema = pageQuerySchema;
export type ListSkillVersionsQuery = z.infer<typeof listSkillVersionsQuerySchema>;

export const recordSkillUseSchema = z
  .strictObject({
    taskId: taskReferenceSchema.optional().describe('The task it is used for; left out, every task the agent has in progress'),
  })
  .meta({ id: 'RecordSkillUse' });
export type RecordSkillUseInput = z.input<typeof recordSkillUseSchema>;

export const skillUseSchema = z
  .object({ skillId: idSchema, taskId: idSchema, agentId: idSchema, usedAt: timestampSchema })
  .meta({ id: 'SkillUse' });
export type SkillUse = z.infer<typeof skillUseSchema>;

/** One skill an agent used, with how the tasks it used it for ended. */
export const agentSkillUsageSchema = z
  .object({ skillId: idSchema, name: z.string(), lastUsedAt: timestampSchema, usage: skillUsageSchema })
  .meta({ id: 'AgentSkillUsage' });
export type AgentSkillUsage = z.infer<typeof agentSkillUsageSchema>;
