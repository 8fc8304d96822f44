import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { describeEachEngine } from '../test/engines.js';
import { createTestDatabase, createTestServer, type TestDatabase, type TestServer } from '../test/test-server.js';
import { BackupError, backupDatabase, restoreDatabase } from './backup.js';

/** Every table's rows, in primary-key order: what a restore must reproduce exactly. */
async function readEverything(handle: DatabaseHandle): Promise<Record<string, unknown[]>> {
  const tables =
    handle.engine === 'sqlite'
      ? // Shadow tables are the private pages of full-text and vector indexes: their bytes differ
        // after a rebuild while the indexes themselves (read below) answer the same rows.
        (
          await sql<{ name: string }>`select name from pragma_table_list
            where schema = 'main' and type in ('table', 'virtual') and name not like 'kysely_%' and name not like 'sqlite_%'`.execute(
            handle.db,
          )
        ).rows
      : (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(handle.db)
        ).rows;
  const content: Record<string, unknown[]> = {};
  for (const { name } of tables.sort((left, right) => left.name.localeCompare(right.name))) {
    // The search index's rows are rebuilt by triggers as the restore inserts: same entries, new row numbers.
    if (name === 'search_entries_rows') {
      content[name] = (
        await sql`select entity_type, entity_id, workspace_id, task_id, agent_id, title, body, updated_at
          from search_entries_rows order by entity_type, entity_id`.execute(handle.db)
      ).rows;
    } else if (name === 'board_move_slots') {
      // Rebuilt by triggers too, in one transaction: the same counts, on other shards (decision 0035).
      content[name] = (
        await sql<Record<string, unknown>>`select workspace_id, slot, type, to_status, agent_id, sum(moves) as moves from board_move_slots
          group by workspace_id, slot, type, to_status, agent_id order by 1, 2, 3, 4, 5`.execute(handle.db)
      ).rows.map((row) => ({ ...row, moves: Number(row.moves) }));
    } else {
      content[name] = (await sql`select * from ${sql.table(name)} order by 1, 2`.execute(handle.db)).rows;
    }
  }
  return content;
}

describeEachEngine('backup and restore', (engine) => {
  let server: TestServer;
  let target: TestDatabase;
  let directory: string;

  beforeEach(async () => {
    server = await createTestServer(engine);
    target = await createTestDatabase(engine);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-backup-'));
  });
  afterEach(async () => {
    await server.close();
    await target.dispose();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('round-trips a populated database: every row of every table, and the event sequence continues after it', async () => {
    const { agent } = await server.createAgentWithKey({ capabilities: ['writing'] });
    const parent = (await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Launch', priority: 'high' } })).json();
    const child = (
      await server.request({
        method: 'POST',
        url: '/api/v1/tasks',
        payload: {
          title: 'Write the post',
          parentId: parent.id,
          assignees: [{ kind: 'agent', id: agent.id }],
          requiredCapabilities: ['writing'],
        },
      })
    ).json();
    const first = (
      await server.request({ method: 'POST', url: `/api/v1/tasks/${child.id}/messages`, payload: { content: 'Draft?' } })
    ).json();
    const reply = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${child.id}/messages`,
      payload: { content: `On it @${agent.name}`, replyToId: first.id },
    });
    expect(reply.statusCode).toBe(201);
    const document = await server.request({
      method: 'POST',
      url: '/api/v1/documents',
      payload: { title: 'Plan', content: '# Plan', taskId: parent.id },
    });
    expect(document.statusCode).toBe(201);
    const before = await readEverything(server.database);
    expect(before.events?.length).toBeGreaterThan(5);

    const file = path.join(directory, engine === 'sqlite' ? 'mission.backup.db' : 'mission.backup.jsonl');
    const summary = await backupDatabase(server.database, file);
    expect(summary.tables.tasks).toBe(2);

    await restoreDatabase(target, file);
    expect(await readEverything(target)).toEqual(before);

    // New events number after the restored ones, so clients resuming with after=<seq> miss nothing.
    const lastSeq = Math.max(...(before.events as { seq: number }[]).map((event) => Number(event.seq)));
    await sql`insert into events (id, workspace_id, type, summary, data, created_at)
      values ('01900000-0000-7000-8000-000000000001', ${server.workspaceId}, 'task-created', 'after the restore', '{}', ${new Date().toISOString()})`.execute(
      target.db,
    );
    const added = await sql<{ seq: number }>`select seq from events where summary = 'after the restore'`.execute(target.db);
    expect(Number(added.rows[0]?.seq)).toBeGreaterThan(lastSeq);
  });

  it('carries attachment bytes: restored byte for byte, into the attachment directory on SQLite', async () => {
    const task = (await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'With a file' } })).json();
    const content = Buffer.concat([Buffer.from([0, 1, 2, 255, 254]), randomBytes(5_000)]);
    const boundary = 'backup-boundary';
    const uploaded = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${task.id}/attachments`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="data.bin"\r\nContent-Type: x/y\r\n\r\n`),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const { sha256 } = uploaded.json();
    const before = await readEverything(server.database);

    const file = path.join(directory, 'with-files.backup');
    const restoredDirectory = path.join(directory, 'restored-attachments');
    const summary = await backupDatabase(server.database, file, { attachmentDirectory: server.attachmentDirectory });
    // The server's own bytes may go; the backup carries them.
    fs.rmSync(server.attachmentDirectory, { recursive: true, force: true });
    const restored = await restoreDatabase(target, file, { attachmentDirectory: restoredDirectory });
    expect(await readEverything(target)).toEqual(before);

    if (engine === 'sqlite') {
      expect(summary.tables.attachment_files).toBe(1);
      expect(restored.tables.attachment_files).toBe(1);
      expect(fs.readFileSync(path.join(restoredDirectory, sha256)).equals(content)).toBe(true);
      expect(fs.statSync(path.join(restoredDirectory, sha256)).mode & 0o777).toBe(0o600);
    } else {
      const row = await target.db.selectFrom('attachment_contents').select('content').where('sha256', '=', sha256).executeTakeFirst();
      expect(row?.content.equals(content)).toBe(true);
    }
  });

  it('writes the backup (which holds the signing key) readable by its owner only, whatever the umask or an older file', async () => {
    const fresh = path.join(directory, 'fresh.backup');
    const overwritten = path.join(directory, 'overwritten.backup');
    fs.writeFileSync(overwritten, '', { mode: 0o644 });
    fs.chmodSync(overwritten, 0o644);
    const previousUmask = process.umask(0);
    try {
      await backupDatabase(server.database, fresh);
      await backupDatabase(server.database, overwritten);
    } finally {
      process.umask(previousUmask);
    }
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o600);
    expect(fs.statSync(overwritten).mode & 0o777).toBe(0o600);
    expect(fs.statSync(overwritten).size).toBeGreaterThan(0);
  });

  it('refuses to overwrite a database that holds data unless forced, and a backup of the other engine', async () => {
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Kept' } });
    const file = path.join(directory, 'backup');
    await backupDatabase(server.database, file);

    await expect(restoreDatabase(server.database, file)).rejects.toThrow(BackupError);
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Made after the backup' } });
    await restoreDatabase(server.database, file, { force: true });
    const titles = (await sql<{ title: string }>`select title from tasks`.execute(server.database.db)).rows.map((row) => row.title);
    expect(titles).toEqual(['Kept']);

    const foreign = path.join(directory, 'foreign');
    fs.writeFileSync(foreign, engine === 'sqlite' ? '{"format":"mission-control-backup"}\n' : 'SQLite format 3\u0000 and more');
    await expect(restoreDatabase(target, foreign)).rejects.toThrow(/restore it on the same engine/);
  });
});
