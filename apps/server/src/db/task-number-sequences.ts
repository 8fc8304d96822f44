import { sql } from 'kysely';
import type { DatabaseExecutor } from './database.js';

/**
 * PostgreSQL hands out task numbers from one sequence per workspace (decision 0027): nextval
 * takes no row lock, so concurrent creators in one workspace no longer queue on the workspace
 * row for the whole of their transactions. SQLite keeps `workspaces.task_counter` (one writer).
 */

const sequencePrefix = 'task_numbers_';

/** The sequence of a workspace; ids are UUIDs, so the name is a plain identifier well under 63 bytes. */
export function taskNumberSequenceName(workspaceId: string): string {
  return `${sequencePrefix}${workspaceId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

/** Creates a workspace's sequence, in the transaction that creates the workspace (so a rollback removes it). */
export async function createTaskNumberSequence(executor: DatabaseExecutor, workspaceId: string): Promise<void> {
  await sql`create sequence if not exists ${sql.id(taskNumberSequenceName(workspaceId))} as bigint minvalue 1`.execute(executor);
}

/** Makes a workspace's next task number the one after `highest` (a workspace restored with its tasks). */
export async function continueTaskNumbersAfter(executor: DatabaseExecutor, workspaceId: string, highest: number): Promise<void> {
  await sql`select setval(${taskNumberSequenceName(workspaceId)}::regclass, ${highest + 1}, false)`.execute(executor);
}

/** The next number of a workspace: outside the transaction's rollback, so a rolled-back create leaves a gap. */
export async function takeNextSequencedTaskNumber(executor: DatabaseExecutor, workspaceId: string): Promise<number> {
  const result = await sql<{ number: number }>`select nextval(${taskNumberSequenceName(workspaceId)}::regclass) as number`.execute(
    executor,
  );
  const number = result.rows[0]?.number;
  if (number === undefined) throw new Error(`The task number sequence of workspace ${workspaceId} answered nothing.`);
  return Number(number);
}

/**
 * Makes the sequences match the rows: one per workspace, each continuing after the workspace's
 * highest task number, and none for a workspace that is gone. Run after a restore has replaced
 * every row (a sequence is not a row, so the restore alone would leave the old values).
 */
export async function syncTaskNumberSequences(executor: DatabaseExecutor): Promise<void> {
  const workspaces = (
    await sql<{ id: string; highest: number | null }>`
      select workspaces.id, (select max(tasks.number) from tasks where tasks.workspace_id = workspaces.id) as highest
      from workspaces`.execute(executor)
  ).rows;
  const wanted = new Set<string>();
  for (const workspace of workspaces) {
    const name = taskNumberSequenceName(workspace.id);
    wanted.add(name);
    await createTaskNumberSequence(executor, workspace.id);
    await sql`select setval(${name}::regclass, ${Number(workspace.highest ?? 0) + 1}, false)`.execute(executor);
  }
  const existing = (
    await sql<{ name: string }>`
      select sequence_name as name from information_schema.sequences
      where sequence_schema = current_schema() and starts_with(sequence_name, ${sequencePrefix})`.execute(executor)
  ).rows;
  for (const sequence of existing) {
    if (!wanted.has(sequence.name)) await sql`drop sequence if exists ${sql.id(sequence.name)}`.execute(executor);
  }
}
