import type { GithubConnection, Runner, Task } from '@mission-control/contracts';
import { expect, it } from 'vitest';
import { createServices } from '../../../services.js';
import { describeEachEngine } from '../../../test/engines.js';
import { useGithubTestServer } from '../../../test/github-test-server.js';
import { testSigningKey } from '../../../test/test-server.js';

describeEachEngine('GitHub pull requests, agent reads and failures', (engine) => {
  const github = useGithubTestServer(engine);
  const { call, connect, sync, tasks, signed, sendWebhook } = github;

  it.each(['poll', 'webhook'] as const)(
    "opens a pull request for a runner's pushed branch and completes the task when it is merged (seen by %s)",
    async (seenBy) => {
      const { agent, apiKey } = await github.server.createAgentWithKey();
      const connection = await connect({ assigneeMapping: { octocat: { kind: 'agent', id: agent.id } } });
      const issue = github.peer.addIssue({ title: 'Add dark mode', labels: ['mission'], assignees: ['octocat'] });
      await sync(connection.id);
      const [task] = await tasks();
      const runner = (
        await call({
          method: 'POST',
          url: '/api/v1/runners',
          token: apiKey,
          payload: {
            runnerKey: `runner_${agent.id.replace(/-/g, '')}`,
            name: 'ci box',
            host: 'ci',
            version: '0.1.0',
            adapters: [{ name: 'claude-code', version: '2.0.1' }],
            adapter: 'claude-code',
          },
        })
      ).json() as Runner;
      const claim = await call({ method: 'POST', url: `/api/v1/tasks/${task?.id}/claim`, token: apiKey, payload: {} });
      expect(claim.statusCode, claim.body).toBe(200);
      const started = await call({
        method: 'POST',
        url: '/api/v1/runs',
        token: apiKey,
        payload: {
          taskId: task?.key,
          leaseToken: claim.json().lease.token,
          adapter: 'claude-code',
          runnerId: runner.id,
          prompt: 'Add dark mode',
          branch: 'mission/task-1',
        },
      });
      expect(started.statusCode, started.body).toBe(201);
      const finished = await call({
        method: 'POST',
        url: `/api/v1/runs/${started.json().id}/finish`,
        token: apiKey,
        payload: { outcome: 'completed', commit: 'abc123def456' },
      });
      expect(finished.statusCode, finished.body).toBe(200);

      await github.server.services.integrationsWorker.tick();
      const [pull, ...others] = [...github.peer.pulls.values()];
      expect(others).toEqual([]);
      expect(pull).toMatchObject({ head: 'mission/task-1', base: 'main', state: 'open', title: `${task?.key}: Add dark mode` });
      expect(pull?.body).toContain(`Closes #${issue.number}`);
      const opened = await github.server.database.db
        .selectFrom('events')
        .select(['type', 'task_id'])
        .where('type', '=', 'github-pull-request-opened')
        .execute();
      expect(opened).toEqual([{ type: 'github-pull-request-opened', task_id: task?.id }]);
      const thread = (await call({ method: 'GET', url: `/api/v1/tasks/${task?.id}/messages` })).json().data as { content: string }[];
      expect(thread.map((message) => message.content)).toEqual([
        `Opened pull request #${pull?.number} from \`mission/task-1\`: https://github.example/octo-org/widgets/pull/${pull?.number}`,
      ]);
      // A second tick opens nothing more.
      await github.server.services.integrationsWorker.tick();
      expect(github.peer.pulls.size).toBe(1);
      expect((await sync(connection.id)).merged).toBe(0);

      const merged = github.peer.mergePull(pull?.number ?? 0);
      if (seenBy === 'poll') {
        expect((await sync(connection.id)).merged).toBe(1);
      } else {
        const body = JSON.stringify({
          action: 'closed',
          number: merged.number,
          pull_request: {
            number: merged.number,
            state: 'closed',
            merged: true,
            merged_at: merged.merged_at,
            html_url: `https://github.example/octo-org/widgets/pull/${merged.number}`,
            head: { ref: merged.head },
          },
        });
        const received = await sendWebhook(connection.id, 'pull_request', body, signed(connection.webhookSecret, body));
        expect(received.json()).toEqual({ accepted: true, event: 'pull_request' });
        expect((await sync(connection.id)).merged).toBe(0);
      }
      const done = (await call({ method: 'GET', url: `/api/v1/tasks/${task?.id}` })).json() as Task;
      expect(done.status).toBe('done');
      const stored = await github.server.database.db.selectFrom('github_pull_requests').select(['state', 'task_id']).execute();
      expect(stored).toEqual([{ state: 'merged', task_id: task?.id }]);
      // The task's completion reaches the issue like any other.
      await github.server.services.integrationsWorker.tick();
      expect(issue.state).toBe('closed');
    },
  );

  it('searches code and reads a file with the connection token for an agent, which never sees it', async () => {
    const { apiKey } = await github.server.createAgentWithKey();
    const connection = await connect();
    github.peer.files.set('src/theme.ts', 'export const darkMode = true;\n');
    github.peer.files.set('README.md', '# Widgets\n');
    const found = await call({ method: 'GET', url: `/api/v1/integrations/github/${connection.id}/search?q=darkMode`, token: apiKey });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({ totalCount: 1, items: [{ path: 'src/theme.ts' }] });
    expect(github.peer.requests.at(-1)?.path).toContain(encodeURIComponent('repo:octo-org/widgets'));
    const file = await call({
      method: 'GET',
      url: `/api/v1/integrations/github/${connection.id}/contents?path=src/theme.ts`,
      token: apiKey,
    });
    expect(file.statusCode, file.body).toBe(200);
    expect(file.json()).toMatchObject({ path: 'src/theme.ts', content: 'export const darkMode = true;\n', truncated: false, ref: null });
    const missing = await call({ method: 'GET', url: `/api/v1/integrations/github/${connection.id}/contents?path=nope.ts`, token: apiKey });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('GITHUB_FILE_NOT_FOUND');
  });

  it('polls and feeds a connection on one instance at a time when two share the database', async () => {
    const { agent } = await github.server.createAgentWithKey();
    const connection = await connect({ assigneeMapping: { octocat: { kind: 'agent', id: agent.id } } });
    github.peer.addIssue({ title: 'Only once', labels: ['mission'], assignees: ['octocat'] });
    const second = createServices(
      { db: github.server.database.db, engine, clock: github.server.clock, passwordCost: 1_024 },
      {
        signingKey: testSigningKey,
        accessTokenTtlSeconds: 900,
        refreshTokenTtlSeconds: 86_400,
        integrations: { allowPrivateTargets: true, githubApiUrl: github.peer.url },
      },
    );
    const instances = [github.server.services.github, second.github];
    await Promise.all(instances.map((instance) => instance.syncGithub()));
    const [task, ...rest] = await tasks();
    expect(rest).toEqual([]);
    expect(github.peer.requests.filter((request) => request.path.startsWith('/repos/octo-org/widgets/issues?'))).toHaveLength(1);
    expect(await github.server.database.db.selectFrom('github_issue_links').select('task_id').execute()).toEqual([{ task_id: task?.id }]);

    for (const status of ['in_progress', 'done']) {
      expect((await call({ method: 'POST', url: `/api/v1/tasks/${task?.id}/status`, payload: { status } })).statusCode).toBe(200);
    }
    await Promise.all(instances.map((instance) => instance.syncGithub()));
    await Promise.all(instances.map((instance) => instance.syncGithub()));
    expect(github.peer.comments.map((comment) => comment.body.split('\n')[0])).toEqual([
      `${task?.key} moved from **assigned** to **in_progress**.`,
      `${task?.key} moved from **in_progress** to **done**.`,
    ]);
    const stored = await github.server.database.db
      .selectFrom('github_connections')
      .select(['lease_holder', 'last_error'])
      .executeTakeFirst();
    expect(stored).toEqual({ lease_holder: null, last_error: null });
    expect(connection.id).toBeTruthy();
  });

  it('reports an issue the board refuses without keeping the others out', async () => {
    const connection = await connect({ assigneeMapping: { ghost: { kind: 'agent', id: '0190a0b0-0000-7000-8000-000000000000' } } });
    const refused = github.peer.addIssue({ title: 'Assigned to a deleted agent', labels: ['mission'], assignees: ['ghost'] });
    github.peer.addIssue({ title: 'Fine', labels: ['mission'] });
    expect((await sync(connection.id)).imported).toBe(1);
    expect((await tasks()).map((task) => task.title)).toEqual(['Fine']);
    const shown = (await call({ method: 'GET', url: '/api/v1/integrations/github' })).json().data[0] as GithubConnection;
    expect(shown.sync.lastError).toContain(`Issues not imported: #${refused.number}:`);
  });

  it('records a GitHub failure on the connection and answers 502 when the token is refused', async () => {
    const connection = await connect();
    const patched = await call({ method: 'PATCH', url: `/api/v1/integrations/github/${connection.id}`, payload: { token: 'ghp_wrong' } });
    expect(patched.statusCode).toBe(200);
    const failed = await call({ method: 'POST', url: `/api/v1/integrations/github/${connection.id}/sync` });
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error).toMatchObject({ code: 'GITHUB_REQUEST_FAILED', details: { status: 401 } });
    const shown = (await call({ method: 'GET', url: '/api/v1/integrations/github' })).json().data[0] as GithubConnection;
    expect(shown.sync.lastError).toContain('GitHub answered 401');
  });
});
