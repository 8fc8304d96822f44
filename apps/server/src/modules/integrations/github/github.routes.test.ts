import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import type { GithubConnection, GithubConnectionWithSecret, Runner, Task } from '@mission-control/contracts';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServices } from '../../../services.js';
import { describeEachEngine } from '../../../test/engines.js';
import { type GithubPeer, startGithubPeer } from '../../../test/github-peer.js';
import { createTestServer, type TestServer, testSigningKey } from '../../../test/test-server.js';

const token = 'ghp_test_token_that_must_never_leak_0123456789';

describeEachEngine('GitHub integration', (engine) => {
  let server: TestServer;
  let peer: GithubPeer;
  let log = '';
  const answers: string[] = [];

  beforeEach(async () => {
    log = '';
    answers.length = 0;
    peer = await startGithubPeer({ owner: 'octo-org', repo: 'widgets', token });
    const stream = new Writable({
      write(chunk, _encoding, done) {
        log += chunk.toString();
        done();
      },
    });
    server = await createTestServer(engine, {
      logger: { level: 'trace', stream },
      integrations: { allowPrivateTargets: true, githubApiUrl: peer.url },
    });
  });
  afterEach(async () => {
    // The token never appears in an answer or a log line of any test.
    for (const body of answers) expect(body).not.toContain(token);
    expect(log).not.toContain(token);
    await server?.close();
    await peer?.close();
  });

  async function call(options: Parameters<TestServer['request']>[0]) {
    const answer = await server.request(options);
    answers.push(answer.body);
    return answer;
  }

  async function connect(payload: Record<string, unknown> = {}): Promise<GithubConnectionWithSecret> {
    const answer = await call({
      method: 'POST',
      url: '/api/v1/integrations/github',
      payload: { owner: 'octo-org', repo: 'widgets', token, label: 'mission', ...payload },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json();
  }

  async function sync(connectionId: string) {
    const answer = await call({ method: 'POST', url: `/api/v1/integrations/github/${connectionId}/sync` });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json();
  }

  async function tasks(): Promise<Task[]> {
    return (await call({ method: 'GET', url: '/api/v1/tasks' })).json().data;
  }

  function signed(secret: string, body: string): string {
    return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  }

  function sendWebhook(connectionId: string, event: string, body: string, signature: string | undefined) {
    return server.app.inject({
      method: 'POST',
      url: `/api/v1/integrations/github/${connectionId}/events`,
      payload: body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
    });
  }

  it('connects a repository with the token stored sealed, shows the webhook secret once and never the token', async () => {
    const connection = await connect({ capabilityMapping: { frontend: 'react' } });
    expect(connection).toMatchObject({
      owner: 'octo-org',
      repo: 'widgets',
      label: 'mission',
      enabled: true,
      capabilityMapping: { frontend: 'react' },
      webhookPath: `/api/v1/integrations/github/${connection.id}/events`,
      sync: { lastPolledAt: null, lastError: null, importedIssues: 0, openPullRequests: 0 },
    });
    expect(connection.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    const listed = await call({ method: 'GET', url: '/api/v1/integrations/github' });
    expect(listed.json().data).toHaveLength(1);
    expect(listed.json().data[0]).not.toHaveProperty('webhookSecret');
    expect(listed.body).not.toContain(connection.webhookSecret);
    const stored = await server.database.db.selectFrom('github_connections').selectAll().executeTakeFirstOrThrow();
    expect(stored.token).not.toContain(token);
    expect(stored.webhook_secret).not.toContain(connection.webhookSecret);
    const events = await server.database.db.selectFrom('events').select('type').where('type', 'like', 'github-%').execute();
    expect(events).toEqual([{ type: 'github-connection-created' }]);

    const again = await call({
      method: 'POST',
      url: '/api/v1/integrations/github',
      payload: { owner: 'octo-org', repo: 'widgets', token },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('GITHUB_CONNECTION_EXISTS');

    const member = await server.addMember({ email: 'member@example.com' });
    const refused = await call({ method: 'POST', url: `/api/v1/integrations/github/${connection.id}/sync`, token: member.token });
    expect(refused.statusCode).toBe(403);
    const seen = await call({ method: 'GET', url: '/api/v1/integrations/github', token: member.token });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().data).toHaveLength(1);

    const patched = await call({
      method: 'PATCH',
      url: `/api/v1/integrations/github/${connection.id}`,
      payload: { label: 'triage', enabled: false },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ label: 'triage', enabled: false });
    const disabled = await call({ method: 'POST', url: `/api/v1/integrations/github/${connection.id}/sync` });
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().error.code).toBe('GITHUB_CONNECTION_DISABLED');

    const other = await server.createOtherWorkspaceToken();
    const elsewhere = await call({ method: 'DELETE', url: `/api/v1/integrations/github/${connection.id}`, token: other });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().error.code).toBe('GITHUB_CONNECTION_NOT_FOUND');
    expect((await call({ method: 'DELETE', url: `/api/v1/integrations/github/${connection.id}` })).statusCode).toBe(204);
    expect(await server.database.db.selectFrom('github_connections').select('id').execute()).toEqual([]);
  });

  it('imports a labelled issue as a task with mapped capabilities and assignee, and a second poll costs a 304', async () => {
    const { agent } = await server.createAgentWithKey();
    const connection = await connect({
      capabilityMapping: { frontend: 'react', docs: 'writing' },
      assigneeMapping: { octocat: { kind: 'agent', id: agent.id } },
    });
    const issue = peer.addIssue({
      title: 'Broken button',
      body: 'It does nothing',
      labels: ['mission', 'frontend'],
      assignees: ['octocat'],
    });
    peer.addIssue({ title: 'Not for us', labels: ['question'] });

    expect(await sync(connection.id)).toEqual({ notModified: false, imported: 1, updated: 0, comments: 0, merged: 0 });
    const [task, ...rest] = await tasks();
    expect(rest).toEqual([]);
    expect(task).toMatchObject({
      title: 'Broken button',
      status: 'assigned',
      requiredCapabilities: ['react'],
      assignees: [{ kind: 'agent', id: agent.id }],
    });
    expect(task?.description).toContain('It does nothing');
    expect(task?.description).toContain(issue.html_url);
    const imported = await server.database.db
      .selectFrom('events')
      .select(['type', 'task_id'])
      .where('type', '=', 'github-issue-imported')
      .execute();
    expect(imported).toEqual([{ type: 'github-issue-imported', task_id: task?.id }]);

    const listings = () => peer.requests.filter((request) => request.path.startsWith('/repos/octo-org/widgets/issues?'));
    expect(listings().map((request) => request.status)).toEqual([200]);
    expect(await sync(connection.id)).toEqual({ notModified: true, imported: 0, updated: 0, comments: 0, merged: 0 });
    expect(listings().map((request) => request.status)).toEqual([200, 304]);
    expect(listings()[1]?.ifNoneMatch).toMatch(/^".+"$/);
    expect(await tasks()).toHaveLength(1);
    for (const request of peer.requests) expect(request.authorization).toBe(`token ${token}`);
    const shown = (await call({ method: 'GET', url: '/api/v1/integrations/github' })).json().data[0] as GithubConnection;
    expect(shown.sync).toMatchObject({ importedIssues: 1, lastError: null });
    expect(shown.sync.lastPolledAt).not.toBeNull();
  });

  it("comments on and closes the issue when its task is done, reopens it, and doesn't echo its own comments", async () => {
    const { agent } = await server.createAgentWithKey();
    const connection = await connect({ assigneeMapping: { octocat: { kind: 'agent', id: agent.id } } });
    const issue = peer.addIssue({ title: 'Ship it', labels: ['mission'], assignees: ['octocat'] });
    await sync(connection.id);
    const [task] = await tasks();
    for (const status of ['in_progress', 'done']) {
      const moved = await call({ method: 'POST', url: `/api/v1/tasks/${task?.id}/status`, payload: { status, reason: 'all good' } });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    await server.services.integrationsWorker.tick();
    expect(issue.state).toBe('closed');
    expect(issue.state_reason).toBe('completed');
    const ours = peer.comments.filter((comment) => comment.issueNumber === issue.number);
    expect(ours.map((comment) => comment.body.split('\n')[0])).toEqual([
      `${task?.key} moved from **assigned** to **in_progress**: all good.`,
      `${task?.key} moved from **in_progress** to **done**: all good.`,
    ]);

    const reopened = await call({ method: 'POST', url: `/api/v1/tasks/${task?.id}/status`, payload: { status: 'in_progress' } });
    expect(reopened.statusCode, reopened.body).toBe(200);
    await server.services.integrationsWorker.tick();
    expect(issue.state).toBe('open');

    // The poll sees the comments this server posted and brings none of them back as messages.
    const polled = await sync(connection.id);
    expect(polled.comments).toBe(0);
    const thread = (await call({ method: 'GET', url: `/api/v1/tasks/${task?.id}/messages` })).json().data;
    expect(thread).toEqual([]);
  });

  it('brings a comment on the issue into the task thread once, by poll and by webhook', async () => {
    const connection = await connect();
    const issue = peer.addIssue({ title: 'Slow page', labels: ['mission'] });
    await sync(connection.id);
    const [task] = await tasks();
    peer.addComment(issue.number, 'It takes 9 seconds on mobile', 'alice');
    expect((await sync(connection.id)).comments).toBe(1);
    expect((await sync(connection.id)).comments).toBe(0);

    const comment = peer.addComment(issue.number, 'Also on desktop', 'bob');
    const body = JSON.stringify({
      action: 'created',
      issue: { number: issue.number, title: issue.title, state: 'open', html_url: issue.html_url, labels: issue.labels },
      comment: {
        id: comment.id,
        body: comment.body,
        user: comment.user,
        html_url: `${issue.html_url}#issuecomment-${comment.id}`,
        issue_url: `${peer.url}/repos/octo-org/widgets/issues/${issue.number}`,
      },
    });
    const received = await sendWebhook(connection.id, 'issue_comment', body, signed(connection.webhookSecret, body));
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toEqual({ accepted: true, event: 'issue_comment' });
    expect((await sync(connection.id)).comments).toBe(0);

    const thread = (await call({ method: 'GET', url: `/api/v1/tasks/${task?.id}/messages` })).json().data as { content: string }[];
    expect(thread.map((message) => message.content.split('\n\n')[1])).toEqual(['It takes 9 seconds on mobile', 'Also on desktop']);
    expect(thread[0]?.content).toContain('**@alice** commented on GitHub');
  });

  it('refuses a webhook with a bad or missing signature with 401 and changes nothing; a signed one imports the issue', async () => {
    const connection = await connect();
    const issue = peer.addIssue({ title: 'From the webhook', labels: ['mission'] });
    const body = JSON.stringify({
      action: 'labeled',
      issue: { number: issue.number, title: issue.title, body: 'hello', state: 'open', html_url: issue.html_url, labels: issue.labels },
    });
    for (const signature of [signed('not-the-secret', body), signed(connection.webhookSecret, `${body} `), 'sha256=zz', undefined]) {
      const refused = await sendWebhook(connection.id, 'issues', body, signature);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('GITHUB_SIGNATURE_INVALID');
    }
    expect(await server.database.db.selectFrom('tasks').select('id').execute()).toEqual([]);
    expect(await server.database.db.selectFrom('github_issue_links').select('id').execute()).toEqual([]);

    const accepted = await sendWebhook(connection.id, 'issues', body, signed(connection.webhookSecret, body));
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toEqual({ accepted: true, event: 'issues' });
    expect((await tasks()).map((task) => task.title)).toEqual(['From the webhook']);
    const ping = await sendWebhook(
      connection.id,
      'ping',
      '{"zen":"Keep it simple."}',
      signed(connection.webhookSecret, '{"zen":"Keep it simple."}'),
    );
    expect(ping.json()).toEqual({ accepted: false, event: 'ping' });
    const unknown = await sendWebhook('0190a0b0-0000-7000-8000-000000000000', 'issues', body, signed(connection.webhookSecret, body));
    expect(unknown.statusCode).toBe(404);
  });

  it.each(['poll', 'webhook'] as const)(
    "opens a pull request for a runner's pushed branch and completes the task when it is merged (seen by %s)",
    async (seenBy) => {
      const { agent, apiKey } = await server.createAgentWithKey();
      const connection = await connect({ assigneeMapping: { octocat: { kind: 'agent', id: agent.id } } });
      const issue = peer.addIssue({ title: 'Add dark mode', labels: ['mission'], assignees: ['octocat'] });
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

      await server.services.integrationsWorker.tick();
      const [pull, ...others] = [...peer.pulls.values()];
      expect(others).toEqual([]);
      expect(pull).toMatchObject({ head: 'mission/task-1', base: 'main', state: 'open', title: `${task?.key}: Add dark mode` });
      expect(pull?.body).toContain(`Closes #${issue.number}`);
      const opened = await server.database.db
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
      await server.services.integrationsWorker.tick();
      expect(peer.pulls.size).toBe(1);
      expect((await sync(connection.id)).merged).toBe(0);

      const merged = peer.mergePull(pull?.number ?? 0);
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
      const stored = await server.database.db.selectFrom('github_pull_requests').select(['state', 'task_id']).execute();
      expect(stored).toEqual([{ state: 'merged', task_id: task?.id }]);
      // The task's completion reaches the issue like any other.
      await server.services.integrationsWorker.tick();
      expect(issue.state).toBe('closed');
    },
  );

  it('searches code and reads a file with the connection token for an agent, which never sees it', async () => {
    const { apiKey } = await server.createAgentWithKey();
    const connection = await connect();
    peer.files.set('src/theme.ts', 'export const darkMode = true;\n');
    peer.files.set('README.md', '# Widgets\n');
    const found = await call({ method: 'GET', url: `/api/v1/integrations/github/${connection.id}/search?q=darkMode`, token: apiKey });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({ totalCount: 1, items: [{ path: 'src/theme.ts' }] });
    expect(peer.requests.at(-1)?.path).toContain(encodeURIComponent('repo:octo-org/widgets'));
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
    const { agent } = await server.createAgentWithKey();
    const connection = await connect({ assigneeMapping: { octocat: { kind: 'agent', id: agent.id } } });
    peer.addIssue({ title: 'Only once', labels: ['mission'], assignees: ['octocat'] });
    const second = createServices(
      { db: server.database.db, engine, clock: server.clock, passwordCost: 1_024 },
      {
        signingKey: testSigningKey,
        accessTokenTtlSeconds: 900,
        refreshTokenTtlSeconds: 86_400,
        integrations: { allowPrivateTargets: true, githubApiUrl: peer.url },
      },
    );
    const instances = [server.services.github, second.github];
    await Promise.all(instances.map((instance) => instance.syncGithub()));
    const [task, ...rest] = await tasks();
    expect(rest).toEqual([]);
    expect(peer.requests.filter((request) => request.path.startsWith('/repos/octo-org/widgets/issues?'))).toHaveLength(1);
    expect(await server.database.db.selectFrom('github_issue_links').select('task_id').execute()).toEqual([{ task_id: task?.id }]);

    for (const status of ['in_progress', 'done']) {
      expect((await call({ method: 'POST', url: `/api/v1/tasks/${task?.id}/status`, payload: { status } })).statusCode).toBe(200);
    }
    await Promise.all(instances.map((instance) => instance.syncGithub()));
    await Promise.all(instances.map((instance) => instance.syncGithub()));
    expect(peer.comments.map((comment) => comment.body.split('\n')[0])).toEqual([
      `${task?.key} moved from **assigned** to **in_progress**.`,
      `${task?.key} moved from **in_progress** to **done**.`,
    ]);
    const stored = await server.database.db.selectFrom('github_connections').select(['lease_holder', 'last_error']).executeTakeFirst();
    expect(stored).toEqual({ lease_holder: null, last_error: null });
    expect(connection.id).toBeTruthy();
  });

  it('reports an issue the board refuses without keeping the others out', async () => {
    const connection = await connect({ assigneeMapping: { ghost: { kind: 'agent', id: '0190a0b0-0000-7000-8000-000000000000' } } });
    const refused = peer.addIssue({ title: 'Assigned to a deleted agent', labels: ['mission'], assignees: ['ghost'] });
    peer.addIssue({ title: 'Fine', labels: ['mission'] });
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
