import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../backup/backup.js';
import { createTaskNumbersAndIndexesMigration } from '../../db/migrations/0029-task-numbers-and-indexes.js';
import { taskNumberSequenceName } from '../../db/task-number-sequences.js';
import { describeEachEngine } from '../../test/engines.js';
import { createSecondInstance, createTestServer, type SecondInstance, type TestServer } from '../../test/test-server.js';

/** The task numbers of the workspace as stored, ascending. */
async function storedNumbers(server: TestServer, workspaceId = server.workspaceId): Promise<number[]> {
  const rows = await sql<{ number: number }>`select number from tasks where workspace_id = ${workspaceId} order by number`.execute(
    server.database.db,
  );
  return rows.rows.map((row) => Number(row.number));
}

async function sequenceExists(server: TestServer, workspaceId: string): Promise<boolean> {
  if (server.engine === 'sqlite') return false;
  const rows = await sql<{ name: string }>`select sequence_name as name from information_schema.sequences
    where sequence_schema = current_schema() and sequence_name = ${taskNumberSequenceName(workspaceId)}`.execute(server.database.db);
  return rows.rows.length === 1;
}

describeEachEngine('task numbers (decision 0027)', (engine) => {
  let server: TestServer;
  let second: SecondInstance | undefined;
  let directory: string;

  beforeEach(async () => {
    server = await createTestServer(engine);
    second = engine === 'postgres' ? await createSecondInstance(server) : undefined;
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-task-numbers-'));
  });
  afterEach(async () => {
    await second?.close();
    await server.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  /** POST /tasks on the first instance for even indexes and on the second (PostgreSQL) for odd ones. */
  const createTask = (index: number, token = server.ownerToken) => {
    const request = { method: 'POST' as const, url: '/api/v1/tasks', payload: { title: `Task ${index}` } };
    return second && index % 2 === 1 ? second.request({ ...request, token }) : server.request({ ...request, token });
  };

  it('gives 50 concurrent creates in one workspace (over two instances on PostgreSQL) 50 distinct numbers', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => createTask(index)));
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array.from({ length: 50 }, () => 201));
    const numbers = answers.map((answer) => answer.json().number as number);
    expect(new Set(numbers).size).toBe(50);
    // Nothing rolled back, so nothing was skipped either.
    expect([...numbers].sort((left, right) => left - right)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(await storedNumbers(server)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(answers.map((answer) => answer.json().key as string)).toContain('TASK-50');
  });

  it('numbers a workspace created after the migration from 1, on a sequence of its own on PostgreSQL', async () => {
    await createTask(0);
    const otherToken = await server.createOtherWorkspaceToken();
    const first = await createTask(1, otherToken);
    const secondTask = await createTask(2, otherToken);
    expect([first.statusCode, secondTask.statusCode]).toEqual([201, 201]);
    expect([first.json().number, secondTask.json().number]).toEqual([1, 2]);
    const otherWorkspaceId = first.json().workspaceId as string;
    expect(otherWorkspaceId).not.toBe(server.workspaceId);
    expect(await sequenceExists(server, otherWorkspaceId)).toBe(engine === 'postgres');
    expect(await sequenceExists(server, server.workspaceId)).toBe(engine === 'postgres');
  });

  it('continues after the highest restored number when a restore replaces the tasks', async () => {
    for (let index = 0; index < 3; index += 1) expect((await createTask(index)).statusCode).toBe(201);
    const file = path.join(directory, engine === 'sqlite' ? 'mission.backup.db' : 'mission.backup.jsonl');
    await backupDatabase(server.database, file);
    // Numbers 4 and 5 are taken after the backup; the restore removes their tasks.
    for (let index = 3; index < 5; index += 1) expect((await createTask(index)).statusCode).toBe(201);
    expect(await storedNumbers(server)).toEqual([1, 2, 3, 4, 5]);

    await restoreDatabase(server.database, file, { force: true, attachmentDirectory: server.attachmentDirectory });
    expect(await storedNumbers(server)).toEqual([1, 2, 3]);
    const after = await createTask(5);
    expect(after.statusCode).toBe(201);
    expect(after.json().number).toBe(4);
    expect(await storedNumbers(server)).toEqual([1, 2, 3, 4]);
  });

  if (engine === 'postgres') {
    it('lets a create finish while another create in the workspace is still open, and a rollback leaves a gap', async () => {
      expect((await createTask(0)).statusCode).toBe(201);
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let taken: number | undefined;
      const open = server.database.db
        .transaction()
        .execute(async (trx) => {
          taken = await server.services.workspaces.takeNextTaskNumber(trx, server.workspaceId);
          await held;
          throw new Error('rolled back on purpose');
        })
        .catch((error: unknown) => error);
      while (taken === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(taken).toBe(2);

      // With the old counter row this create would wait for the open transaction to end.
      const during = await createTask(1);
      expect(during.statusCode).toBe(201);
      expect(during.json().number).toBe(3);
      release();
      expect(await open).toBeInstanceOf(Error);

      const after = await createTask(2);
      expect(after.json().number).toBe(4);
      // Unique per workspace, with the rolled-back 2 missing.
      expect(await storedNumbers(server)).toEqual([1, 3, 4]);
    });

    it('migration 0029 gives an existing workspace a sequence continuing after its highest number', async () => {
      for (let index = 0; index < 3; index += 1) expect((await createTask(index)).statusCode).toBe(201);
      // As a database migrated before 0029 was: the workspace has tasks and no sequence.
      await sql`drop sequence ${sql.id(taskNumberSequenceName(server.workspaceId))}`.execute(server.database.db);
      await createTaskNumbersAndIndexesMigration('postgres').up(server.database.db);
      expect(await sequenceExists(server, server.workspaceId)).toBe(true);
      const after = await createTask(3);
      expect(after.statusCode).toBe(201);
      expect(after.json().number).toBe(4);
    });

    it('drops the sequence with its workspace', async () => {
      const otherToken = await server.createOtherWorkspaceToken();
      const created = await createTask(0, otherToken);
      const otherWorkspaceId = created.json().workspaceId as string;
      expect(await sequenceExists(server, otherWorkspaceId)).toBe(true);
      await server.database.db.transaction().execute(async (trx) => {
        await sql`delete from task_assignees where task_id in (select id from tasks where workspace_id = ${otherWorkspaceId})`.execute(trx);
        await sql`delete from tasks where workspace_id = ${otherWorkspaceId}`.execute(trx);
        await sql`delete from events where workspace_id = ${otherWorkspaceId}`.execute(trx);
        await sql`delete from memberships where workspace_id = ${otherWorkspaceId}`.execute(trx);
        await sql`delete from workspaces where id = ${otherWorkspaceId}`.execute(trx);
      });
      expect(await sequenceExists(server, otherWorkspaceId)).toBe(false);
      expect(await sequenceExists(server, server.workspaceId)).toBe(true);
    });
  }
});
