import { retentionSettingsSchema } from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

describe('mission retention against a real server', () => {
  const cli = useCliAgainstRealServer('retention');
  const { run } = cli;

  it('shows the defaults, changes one setting at a time, and refuses a bad number before calling the server', async () => {
    expect((await run(['retention'])).stdout).toBe('Task messages: kept forever.\nRun transcripts: kept forever.\n');
    const changed = await run(['retention', '--messages-days', '90', '--json']);
    expect(changed.stderr).toBe('');
    expect(retentionSettingsSchema.parse(JSON.parse(changed.stdout))).toMatchObject({ messagesDays: 90, runsDays: null });
    expect((await run(['retention', '--runs-days', '1'])).stdout).toBe(
      'Task messages: deleted after 90 days (threads of open tasks stay).\nRun transcripts: deleted after 1 day (tokens and cost stay).\n',
    );
    expect((await run(['retention', '--messages-days', 'forever'])).stdout).toContain('Task messages: kept forever.');

    const bad = await run(['retention', '--runs-days', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--runs-days is a number of days from 1 to 3650, or forever.');
    const stored = await cli.server.database.db.selectFrom('retention_settings').selectAll().execute();
    expect(stored).toEqual([expect.objectContaining({ messages_days: null, runs_days: 1 })]);
    // Several CLI processes one after another: each start takes seconds on a loaded machine.
  }, 120_000);
});
