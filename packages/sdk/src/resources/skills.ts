import {
  type AgentSkillUsage,
  endpoints,
  type Skill,
  type SkillSummary,
  type SkillUse,
  type SkillVersion,
  type TaskOutcome,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** What `skills.create` takes. */
export type CreateSkillOptions = z.input<typeof endpoints.createSkill.body>;
/** What `skills.update` takes (only the fields to change). */
export type UpdateSkillOptions = z.input<typeof endpoints.updateSkill.body>;
/** Filters and page size of `skills.list`. */
export type ListSkillsOptions = Omit<z.input<typeof endpoints.listSkills.query>, 'cursor'>;
/** Filters and page size of `skills.outcomes`. */
export type ListOutcomesOptions = Omit<z.input<typeof endpoints.listOutcomes.query>, 'cursor'>;

/** Skills (`/skills`): versioned markdown procedures, and the task outcomes they are counted against. */
export class SkillsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.skills`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Writes a skill (version 1). */
  create(input: CreateSkillOptions): Promise<Skill> {
    return this.context.transport.call(endpoints.createSkill, { body: input });
  }

  /** Turns a done task (id or key) into a skill, prefilled from its last message and documents. */
  createFromTask(taskId: string, input: z.input<typeof endpoints.createSkillFromTask.body> = {}): Promise<Skill> {
    return this.context.transport.call(endpoints.createSkillFromTask, { params: { id: taskId }, body: input });
  }

  /** Lists skills newest first, or the best matches of `q`. */
  list(options: ListSkillsOptions = {}): PageIterator<SkillSummary> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listSkills, { query: { ...options, cursor } }));
  }

  /** Reads a skill with its procedure. */
  get(skillId: string): Promise<Skill> {
    return this.context.transport.call(endpoints.getSkill, { params: { id: skillId } });
  }

  /** Changes some fields, as a new version. */
  update(skillId: string, input: UpdateSkillOptions): Promise<Skill> {
    return this.context.transport.call(endpoints.updateSkill, { params: { id: skillId }, body: input });
  }

  /** Deletes a skill with its versions. */
  async delete(skillId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteSkill, { params: { id: skillId } });
  }

  /** The versions of a skill, newest first. */
  versions(skillId: string, options: { limit?: number } = {}): PageIterator<SkillVersion> {
    return new PageIterator((cursor) =>
      this.context.transport.call(endpoints.listSkillVersions, { params: { id: skillId }, query: { ...options, cursor } }),
    );
  }

  /** Records (as an agent) that you follow the skill for a task, or for every task you have in progress. */
  recordUse(skillId: string, input: z.input<typeof endpoints.recordSkillUse.body> = {}): Promise<SkillUse[]> {
    return this.context.transport.call(endpoints.recordSkillUse, { params: { id: skillId }, body: input });
  }

  /** The skills an agent used, with success counts. */
  usedBy(agentId: string): Promise<AgentSkillUsage[]> {
    return this.context.transport.call(endpoints.listAgentSkills, { params: { id: agentId } });
  }

  /** Task outcomes, newest first. */
  outcomes(options: ListOutcomesOptions = {}): PageIterator<TaskOutcome> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listOutcomes, { query: { ...options, cursor } }));
  }
}
