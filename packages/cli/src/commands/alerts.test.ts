import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

describe('mission alerts against a real server', () => {
  const cli = useCliAgainstRealServer('alerts');
  const { run } = cli;

  it('lists the open alerts, acknowledges and resolves one, and refuses an unknown status with a usage error', async () => {
    const { agent } = await cli.server.createAgentWithKey({ name: 'Spender' });
    const startedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    await cli.server.database.db
      .insertInto('agent_runs')
      .values({
        id: randomUUID(),
        workspace_id: cli.server.workspaceId,
        agent_id: agent.id,
        task_id: null,
        trigger: 'schedule',
        status: 'completed',
        provider: 'openai',
        model: 'gpt-a',
        prompt: '[]',
        output: '',
        tokens_in: 1,
        tokens_out: 1,
        cost_micro_dollars: 5_000_000,
        model_calls: 1,
        duration_ms: 1,
        error: null,
        started_at: startedAt,
        finished_at: startedAt,
        test_result: 'null',
      })
      .execute();
    expect((await cli.server.services.alerts.runDetector()).raised).toBe(1);

    const listed = await run(['alerts', 'ls', '--json']);
    expect(listed.stderr).toBe('');
    const alerts = JSON.parse(listed.stdout) as { id: string; kind: string }[];
    expect(alerts.map((alert) => alert.kind)).toEqual(['cost-spike']);
    const table = await run(['alerts', 'ls']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+RAISED\s+KIND\s+ABOUT\s+STATUS\s+SUMMARY/);

    const acknowledged = await run(['alerts', 'ack', alerts[0]?.id ?? '']);
    expect(acknowledged.code).toBe(0);
    expect(acknowledged.stdout).toContain('now acknowledged');
    const resolved = await run(['alerts', 'resolve', alerts[0]?.id ?? '', '--json']);
    expect(JSON.parse(resolved.stdout).status).toBe('resolved');

    const refused = await run(['alerts', 'ls', '--status', 'sleeping']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--status');
  }, 120_000);
});
