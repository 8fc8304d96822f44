import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { DatabaseExecutor } from '../../db/database.js';
import type { SkillTable, SkillVersionTable } from '../../db/schema.js';

export type SkillRow = Selectable<SkillTable>;
export type SkillVersionRow = Selectable<SkillVersionTable>;

export async function insertSkill(executor: DatabaseExecutor, row: Insertable<SkillTable>, capabilities: readonly string[]): Promise<void> {
  await executor.insertInto('skills').values(row).execute();
  await replaceSkillCapabilities(executor, row.workspace_id, row.id, capabilities);
}

export async function replaceSkillCapabilities(
  executor: DatabaseExecutor,
  workspaceId: string,
  skillId: string,
  capabilities: readonly string[],
): Promise<void> {
  await executor.deleteFrom('skill_capabilities').where('skill_id', '=', skillId).execute();
  if (capabilities.length === 0) return;
  await executor
    .insertInto('skill_capabilities')
    .values(capabilities.map((capability) => ({ skill_id: skillId, workspace_id: workspaceId, capability })))
    .execute();
}

export async function insertSkillVersion(executor: DatabaseExecutor, row: Insertable<SkillVersionTable>): Promise<void> {
  await executor.insertInto('skill_versions').values(row).execute();
}

/** Writes the next version only if the row is still at the version read; false when another edit won. */
export async function updateSkillAtVersion(
  executor: DatabaseExecutor,
  skillId: string,
  expectedVersion: number,
  changes: Partial<Insertable<SkillTable>>,
): Promise<boolean> {
  const result = await executor
    .updateTable('skills')
    .set(changes)
    .where('id', '=', skillId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function findSkill(executor: DatabaseExecutor, workspaceId: string, skillId: string) {
  return executor.selectFrom('skills').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', skillId).executeTakeFirst();
}

export function findSkillsByIds(executor: DatabaseExecutor, workspaceId: string, skillIds: readonly string[]) {
  if (skillIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('skills').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', skillIds).execute();
}

/** Newest first; the id (time-ordered) is the cursor. */
export function listSkillRows(
  executor: DatabaseExecutor,
  filter: {
    workspaceId: string;
    capability?: string | undefined;
    ids?: readonly string[] | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
) {
  let query = executor.selectFrom('skills as s').selectAll('s').where('s.workspace_id', '=', filter.workspaceId);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return Promise.resolve([]);
    query = query.where('s.id', 'in', filter.ids);
  }
  if (filter.capability !== undefined) {
    const capability = filter.capability;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('skill_capabilities as c')
          .select('c.skill_id')
          .whereRef('c.skill_id', '=', 's.id')
          .where('c.capability', '=', capability),
      ),
    );
  }
  if (filter.beforeId !== undefined) query = query.where('s.id', '<', filter.beforeId);
  return query.orderBy('s.id', 'desc').limit(filter.limit).execute();
}

export async function deleteSkillRows(executor: DatabaseExecutor, skillId: string): Promise<void> {
  await executor.deleteFrom('skill_uses').where('skill_id', '=', skillId).execute();
  await executor.deleteFrom('skill_capabilities').where('skill_id', '=', skillId).execute();
  await executor.deleteFrom('skill_versions').where('skill_id', '=', skillId).execute();
  await executor.deleteFrom('skills').where('id', '=', skillId).execute();
}

/** Versions newest first; the version number is the cursor. */
export function listSkillVersionRows(executor: DatabaseExecutor, skillId: string, beforeVersion: number | undefined, limit: number) {
  let query = executor.selectFrom('skill_versions').selectAll().where('skill_id', '=', skillId);
  if (beforeVersion !== undefined) query = query.where('version', '<', beforeVersion);
  return query.orderBy('version', 'desc').limit(limit).execute();
}

/** Records uses; a second read for the same task by the same agent keeps the first. */
export async function insertSkillUses(
  executor: DatabaseExecutor,
  rows: readonly { skill_id: string; task_id: string; agent_id: string; workspace_id: string; used_at: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await executor
    .insertInto('skill_uses')
    .values([...rows])
    .onConflict((conflict) => conflict.columns(['skill_id', 'task_id', 'agent_id']).doNothing())
    .execute();
}

export function listSkillUsesOf(executor: DatabaseExecutor, skillId: string, taskIds: readonly string[], agentId: string) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('skill_uses')
    .selectAll()
    .where('skill_id', '=', skillId)
    .where('agent_id', '=', agentId)
    .where('task_id', 'in', taskIds)
    .execute();
}

const usageRowSchema = z.object({
  skill_id: z.string(),
  name: z.string(),
  last_used_at: z.string(),
  uses: z.coerce.number(),
  succeeded: z.coerce.number(),
  failed: z.coerce.number(),
});
export type SkillUsageRow = z.infer<typeof usageRowSchema>;

/**
 * How often each skill was used and how those tasks ended for the agent that used it: a use
 * succeeded when that agent's outcome on the task is done, failed when it is failed or escalated.
 * Filtered to some skills, or to one agent's uses.
 */
export async function countSkillUsage(
  executor: DatabaseExecutor,
  filter: { workspaceId: string; skillIds?: readonly string[] | undefined; agentId?: string | undefined },
): Promise<SkillUsageRow[]> {
  if (filter.skillIds !== undefined && filter.skillIds.length === 0) return [];
  let query = executor
    .selectFrom('skill_uses as u')
    .innerJoin('skills as s', 's.id', 'u.skill_id')
    .select((eb) => {
      const outcomeOf = (kinds: ('done' | 'failed' | 'escalated')[]) =>
        eb
          .case()
          .when(
            eb.exists(
              eb
                .selectFrom('task_outcomes as o')
                .select('o.id')
                .whereRef('o.task_id', '=', 'u.task_id')
                .whereRef('o.agent_id', '=', 'u.agent_id')
                .where('o.kind', 'in', kinds),
            ),
          )
          .then(1)
          .else(0)
          .end();
      return [
        'u.skill_id',
        's.name',
        eb.fn.max('u.used_at').as('last_used_at'),
        eb.fn.countAll().as('uses'),
        eb.fn.sum(outcomeOf(['done'])).as('succeeded'),
        eb.fn.sum(outcomeOf(['failed', 'escalated'])).as('failed'),
      ];
    })
    .where('u.workspace_id', '=', filter.workspaceId);
  if (filter.skillIds !== undefined) query = query.where('u.skill_id', 'in', filter.skillIds);
  if (filter.agentId !== undefined) query = query.where('u.agent_id', '=', filter.agentId);
  const rows = await query.groupBy(['u.skill_id', 's.name']).execute();
  return z.array(usageRowSchema).parse(rows);
}
