import type { PrincipalKind, WorkingStateVersion, WorkingStateVersionSummary } from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { WorkingStateVersionTable } from '../../db/schema.js';

export type WorkingStateVersionRow = Selectable<WorkingStateVersionTable>;

export function findLatestWorkingStateVersion(executor: DatabaseExecutor, workspaceId: string) {
  return executor
    .selectFrom('working_state_versions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findWorkingStateVersion(executor: DatabaseExecutor, workspaceId: string, version: number) {
  return executor
    .selectFrom('working_state_versions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/**
 * Inserts a version unless that number already exists. Returns false when another writer took
 * it first: the primary key decides, so two writers that read the same version cannot both win.
 * (ON CONFLICT DO NOTHING rather than catching the violation keeps a PostgreSQL transaction usable.)
 */
export async function insertWorkingStateVersion(executor: DatabaseExecutor, row: Insertable<WorkingStateVersionTable>): Promise<boolean> {
  const result = await executor
    .insertInto('working_state_versions')
    .values(row)
    .onConflict((conflict) => conflict.columns(['workspace_id', 'version']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface ListWorkingStateVersionsFilter {
  workspaceId: string;
  beforeVersion?: number | undefined;
  limit: number;
}

/** Newest first, without the notes themselves (a page of 100 kB notes would be heavy). */
export function listWorkingStateVersions(executor: DatabaseExecutor, filter: ListWorkingStateVersionsFilter) {
  let query = executor
    .selectFrom('working_state_versions')
    .select(['version', 'author_kind', 'author_id', 'created_at'])
    .select((eb) => eb.fn<number>('length', ['notes']).as('notes_length'))
    .where('workspace_id', '=', filter.workspaceId);
  if (filter.beforeVersion !== undefined) query = query.where('version', '<', filter.beforeVersion);
  return query.orderBy('version', 'desc').limit(filter.limit).execute();
}

export function toWorkingStateVersion(row: WorkingStateVersionRow): WorkingStateVersion {
  return {
    version: row.version,
    notes: row.notes,
    author: { kind: row.author_kind, id: row.author_id },
    createdAt: row.created_at,
  };
}

export function toWorkingStateVersionSummary(row: {
  version: number;
  author_kind: PrincipalKind;
  author_id: string;
  created_at: string;
  notes_length: number;
}): WorkingStateVersionSummary {
  return {
    version: row.version,
    author: { kind: row.author_kind, id: row.author_id },
    createdAt: row.created_at,
    notesLength: Number(row.notes_length),
  };
}
