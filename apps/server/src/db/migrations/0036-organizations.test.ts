import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine, postgresTestUrl } from '../../test/engines.js';
import { createScratchPostgresDatabase } from '../../test/postgres-scratch.js';
import { type DatabaseHandle, type Engine, openDatabase } from '../database.js';
import { migrateToLatest, migrateUpTo } from '../migrate.js';

/** A database of the engine migrated up to the schema before organisations. */
async function openBeforeOrganizations(engine: Engine): Promise<{ handle: DatabaseHandle; dispose: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-migration-'));
    const handle = openDatabase({ dataDirectory: directory });
    await migrateUpTo(handle.db, engine, '0035-retention-settings');
    const dispose = async () => {
      await handle.close();
      fs.rmSync(directory, { recursive: true, force: true });
    };
    return { handle, dispose };
  }
  const scratch = await createScratchPostgresDatabase(postgresTestUrl ?? '', 'mc_migration');
  const handle = openDatabase({ dataDirectory: os.tmpdir(), databaseUrl: scratch.url });
  await migrateUpTo(handle.db, engine, '0035-retention-settings');
  const dispose = async () => {
    await handle.close();
    await scratch.drop();
  };
  return { handle, dispose };
}

describeEachEngine('migration 0036: organisations', (engine) => {
  it('puts existing workspaces in one organisation per first owner, with everyone in them as members', async () => {
    const { handle, dispose } = await openBeforeOrganizations(engine);
    try {
      const db = handle.db;
      const at = (minute: number) => `2026-11-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
      for (const [id, name, minute] of [
        ['u-ada', 'Ada', 0],
        ['u-bob', 'Bob', 1],
      ] as const) {
        await sql`insert into users (id, email, name, password_hash, created_at, updated_at)
          values (${id}, ${`${name.toLowerCase()}@example.com`}, ${name}, 'x', ${at(minute)}, ${at(minute)})`.execute(db);
      }
      for (const [id, slug, minute] of [
        ['w-one', 'default', 0],
        ['w-two', 'two', 2],
        ['w-bob', 'bobs', 3],
      ] as const) {
        await sql`insert into workspaces (id, name, slug, task_key_prefix, task_counter, created_at)
          values (${id}, ${slug}, ${slug}, 'TASK', 0, ${at(minute)})`.execute(db);
      }
      for (const [workspace, user, role, minute] of [
        ['w-one', 'u-ada', 'owner', 0],
        ['w-two', 'u-ada', 'owner', 2],
        ['w-bob', 'u-bob', 'owner', 3],
        ['w-bob', 'u-ada', 'viewer', 4],
      ] as const) {
        await sql`insert into memberships (workspace_id, user_id, role, created_at)
          values (${workspace}, ${user}, ${role}, ${at(minute)})`.execute(db);
      }

      await migrateToLatest(db, engine);

      const organizations = await db
        .selectFrom('organizations')
        .select(['id', 'name', 'slug'])
        .orderBy('created_at')
        .orderBy('slug')
        .execute();
      expect(organizations.map((organization) => [organization.name, organization.slug]).sort()).toEqual([
        ["Bob's organization", 'bobs-org'],
        ['Default organization', 'default'],
      ]);
      const byName = new Map(organizations.map((organization) => [organization.name, organization.id]));
      const workspaces = await db.selectFrom('workspaces').select(['id', 'organization_id']).orderBy('id').execute();
      expect(workspaces).toEqual([
        { id: 'w-bob', organization_id: byName.get("Bob's organization") },
        { id: 'w-one', organization_id: byName.get('Default organization') },
        { id: 'w-two', organization_id: byName.get('Default organization') },
      ]);
      const members = await db.selectFrom('organization_members').select(['organization_id', 'user_id', 'role']).execute();
      expect(members.map((member) => [member.organization_id, member.user_id, member.role]).sort()).toEqual(
        [
          [byName.get('Default organization'), 'u-ada', 'owner'],
          [byName.get("Bob's organization"), 'u-bob', 'owner'],
          [byName.get("Bob's organization"), 'u-ada', 'member'],
        ].sort(),
      );
      const memberships = await db
        .selectFrom('memberships')
        .select(['workspace_id', 'role', 'direct_role', 'team_role'])
        .where('user_id', '=', 'u-ada')
        .orderBy('workspace_id')
        .execute();
      expect(memberships).toEqual([
        { workspace_id: 'w-bob', role: 'viewer', direct_role: 'viewer', team_role: null },
        { workspace_id: 'w-one', role: 'owner', direct_role: 'owner', team_role: null },
        { workspace_id: 'w-two', role: 'owner', direct_role: 'owner', team_role: null },
      ]);
    } finally {
      await dispose();
    }
  });
});
