import type { GithubConnection } from '@mission-control/contracts';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.js';
import { githubTestToken, useGithubTestServer } from '../../../test/github-test-server.js';

describeEachEngine('GitHub integration', (engine) => {
  const github = useGithubTestServer(engine);
  const { call, connect, sync, tasks, signed, sendWebhook } = github;
  const token = githubTestToken;

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
    const stored = await github.server.database.db.selectFrom('github_connections').selectAll().executeTakeFirstOrThrow();
    expect(stored.token).not.toContain(token);
    expect(stored.webhook_secret).not.toContain(connection.webhookSecret);
    const events = await github.server.database.db
      .selectFrom('events')
      .select('type')
      .where(sql<string>`type`, 'like', 'github-%')
      .execute();
    expect(events).toEqual([{ type: 'github-connection-created' }]);

    const again = await call({
      method: 'POST',
      url: '/api/v1/integrations/github',
      payload: { owner: 'octo-org', repo: 'widgets', token },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('GITHUB_CONNECTION_EXISTS');

    const member = await github.server.addMember({ email: 'member@example.com' });
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

    const other = await github.server.createOtherWorkspaceToken();
    const elsewhere = await call({ method: 'DELETE', url: `/api/v1/integrations/github/${connection.id}`, token: other });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().error.code).toBe('GITHUB_CONNECTION_NOT_FOUND');
    expect((await call({ method: 'DELETE', url: `/api/v1/integrations/github/${connection.id}` })).statusCode).toBe(204);
    expect(await github.server.database.db.selectFrom('github_connections').select('id').execute()).toEqual([]);
  });

  it('imports a labelled issue as a task with mapped capabilities and assignee, and a second poll costs a 304', async () => {
    const { agent } = await github.server.createAgentWithKey();
    const connection = await connect({
      capabilityMapping: { frontend: 'react', docs: 'writing' },
      assigneeMapping: { octocat: { kind: 'agent', id: agent.id } },
    });
    const issue = github.peer.addIssue({
      title: 'Broken button',
      body: 'It does nothing',
      labels: ['mission', 'frontend'],
      assignees: ['octocat'],
    });
    github.peer.addIssue({ title: 'Not for us', labels: ['question'] });

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
    const imported = await github.server.database.db
      .selectFrom('events')
      .select(['type', 'task_id'])
      .where('type', '=', 'github-issue-imported')
      .execute();
    expect(imported).toEqual([{ type: 'github-issue-imported', task_id: task?.id }]);

    const listings = () => github.peer.requests.filter((request) => request.path.startsWith('/repos/octo-org/widgets/issues?'));
    expect(listings().map((request) => request.status)).toEqual([200]);
    expect(await sync(connection.id)).toEqual({ notModified: true, imported: 0, updated: 0, comments: 0, merged: 0 });
    expect(listings().map((request) => request.status)).toEqual([200, 304]);
    expect(listings()[1]?.ifNoneMatch).toMatch(/^".+"$/);
    expect(await tasks()).toHaveLength(1);
    for (const request of github.peer.requests) expect(request.authorization).toBe(`token ${token}`);
    const shown = (await call({ method: 'GET', url: '/api/v1/integrations/github' })).json().data[0] as GithubConnection;
    expect(shown.sync).toMatchObject({ importedIssues: 1, lastError: null });
    expect(shown.sync.lastPolledAt).not.toBeNull();
  });

  it("comments on and closes the issue when its task is done, reopens it, and doesn't echo its own comments", async () => {
    const { agent } = await github.server.createAgentWithKey();
    const connection = await connect({ assigneeMapping: { octocat: { kind: 'agent', id: agent.id } } });
    const issue = github.peer.addIssue({ title: 'Ship it', labels: ['mission'], assignees: ['octocat'] });
    await sync(connection.id);
    const [task] = await tasks();
    for (const status of ['in_progress', 'done']) {
      const moved = await call({ method: 'POST', url: `/api/v1/tasks/${task?.id}/status`, payload: { status, reason: 'all good' } });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    await github.server.services.integrationsWorker.tick();
    expect(issue.state).toBe('closed');
    expect(issue.state_reason).toBe('completed');
    const ours = github.peer.comments.filter((comment) => comment.issueNumber === issue.number);
    expect(ours.map((comment) => comment.body.split('\n')[0])).toEqual([
      `${task?.key} moved from **assigned** to **in_progress**: all good.`,
      `${task?.key} moved from **in_progress** to **done**: all good.`,
    ]);

    const reopened = await call({ method: 'POST', url: `/api/v1/tasks/${task?.id}/status`, payload: { status: 'in_progress' } });
    expect(reopened.statusCode, reopened.body).toBe(200);
    await github.server.services.integrationsWorker.tick();
    expect(issue.state).toBe('open');

    // The poll sees the comments this server posted and brings none of them back as messages.
    const polled = await sync(connection.id);
    expect(polled.comments).toBe(0);
    const thread = (await call({ method: 'GET', url: `/api/v1/tasks/${task?.id}/messages` })).json().data;
    expect(thread).toEqual([]);
  });

  it('brings a comment on the issue into the task thread once, by poll and by webhook', async () => {
    const connection = await connect();
    const issue = github.peer.addIssue({ title: 'Slow page', labels: ['mission'] });
    await sync(connection.id);
    const [task] = await tasks();
    github.peer.addComment(issue.number, 'It takes 9 seconds on mobile', 'alice');
    expect((await sync(connection.id)).comments).toBe(1);
    expect((await sync(connection.id)).comments).toBe(0);

    const comment = github.peer.addComment(issue.number, 'Also on desktop', 'bob');
    const body = JSON.stringify({
      action: 'created',
      issue: { number: issue.number, title: issue.title, state: 'open', html_url: issue.html_url, labels: issue.labels },
      comment: {
        id: comment.id,
        body: comment.body,
        user: comment.user,
        html_url: `${issue.html_url}#issuecomment-${comment.id}`,
        issue_url: `${github.peer.url}/repos/octo-org/widgets/issues/${issue.number}`,
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
    const issue = github.peer.addIssue({ title: 'From the webhook', labels: ['mission'] });
    const body = JSON.stringify({
      action: 'labeled',
      issue: { number: issue.number, title: issue.title, body: 'hello', state: 'open', html_url: issue.html_url, labels: issue.labels },
    });
    for (const signature of [signed('not-the-secret', body), signed(connection.webhookSecret, `${body} `), 'sha256=zz', undefined]) {
      const refused = await sendWebhook(connection.id, 'issues', body, signature);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('GITHUB_SIGNATURE_INVALID');
    }
    expect(await github.server.database.db.selectFrom('tasks').select('id').execute()).toEqual([]);
    expect(await github.server.database.db.selectFrom('github_issue_links').select('id').execute()).toEqual([]);

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
});

describeEachEngine('GitHub issue state', (engine) => {
  const github = useGithubTestServer(engine);
  const { call, connect, sync, tasks, signed, sendWebhook } = github;
  const statusOf = async (taskId: string) => (await call({ method: 'GET', url: `/api/v1/tasks/${taskId}` })).json().status;

  it('moves the task when its issue is closed or reopened on GitHub, by poll and by webhook, and never undoes a move on the board', async () => {
    const { agent } = await github.server.createAgentWithKey();
    const connection = await connect({ assigneeMapping: { octocat: { kind: 'agent', id: agent.id } } });
    const issue = github.peer.addIssue({ title: 'Fix the typo', labels: ['mission'], assignees: ['octocat'] });
    await sync(connection.id);
    const [task] = await tasks();
    const taskId = task?.id ?? '';
    expect(task?.status).toBe('assigned');

    github.peer.setIssueState(issue.number, 'closed', 'completed');
    expect(await sync(connection.id)).toMatchObject({ notModified: false, imported: 0, updated: 1 });
    expect(await statusOf(taskId)).toBe('done');
    const moves = await github.server.database.db
      .selectFrom('events')
      .select('summary')
      .where('type', '=', 'task-status-changed')
      .where('task_id', '=', taskId)
      .orderBy('seq')
      .execute();
    expect(moves.map((event) => event.summary)).toHaveLength(2);
    // The feed reports the move on the issue and leaves it closed; the poll brings nothing back.
    await github.server.services.integrationsWorker.tick();
    expect(issue.state).toBe('closed');
    expect(await sync(connection.id)).toMatchObject({ updated: 0, comments: 0 });
    expect(await statusOf(taskId)).toBe('done');

    github.peer.setIssueState(issue.number, 'open', 'reopened');
    expect((await sync(connection.id)).updated).toBe(1);
    expect(await statusOf(taskId)).toBe('in_progress');
    await github.server.services.integrationsWorker.tick();

    // Done on the board before the feed closed the issue: a poll that still sees the issue open leaves the task done.
    const done = await call({ method: 'POST', url: `/api/v1/tasks/${taskId}/status`, payload: { status: 'done' } });
    expect(done.statusCode, done.body).toBe(200);
    github.peer.addIssue({ title: 'Another one', labels: ['mission'] });
    expect((await sync(connection.id)).imported).toBe(1);
    expect(await statusOf(taskId)).toBe('done');
    await github.server.services.integrationsWorker.tick();
    expect(issue.state).toBe('closed');
    expect((await sync(connection.id)).updated).toBe(0);
    expect(await statusOf(taskId)).toBe('done');

    const sendIssue = async (action: string) => {
      const body = JSON.stringify({ action, issue: { ...issue, labels: issue.labels } });
      const answer = await sendWebhook(connection.id, 'issues', body, signed(connection.webhookSecret, body));
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json();
    };
    github.peer.setIssueState(issue.number, 'open', 'reopened');
    expect(await sendIssue('reopened')).toEqual({ accepted: true, event: 'issues' });
    expect(await statusOf(taskId)).toBe('in_progress');
    github.peer.setIssueState(issue.number, 'closed', 'not_planned');
    expect(await sendIssue('closed')).toEqual({ accepted: true, event: 'issues' });
    expect(await statusOf(taskId)).toBe('cancelled');
    // The same webhook again (GitHub redelivers) changes nothing.
    expect(await sendIssue('closed')).toEqual({ accepted: false, event: 'issues' });
    expect(await statusOf(taskId)).toBe('cancelled');
  });

  it('says in the thread why a task could not follow its closed issue', async () => {
    const connection = await connect();
    const issue = github.peer.addIssue({ title: 'Nobody on it', labels: ['mission'] });
    await sync(connection.id);
    const [task] = await tasks();
    expect(task?.status).toBe('inbox');
    github.peer.setIssueState(issue.number, 'closed', 'completed');
    await sync(connection.id);
    expect(await statusOf(task?.id ?? '')).toBe('inbox');
    const thread = (await call({ method: 'GET', url: `/api/v1/tasks/${task?.id}/messages` })).json().data as { content: string }[];
    expect(thread.map((message) => message.content)).toEqual([
      expect.stringMatching(/^Issue #\d+ was closed on GitHub, but TASK-\d+ could not move to done: /),
    ]);
    // Seen once: a later change to the listing does not say it again.
    github.peer.addIssue({ title: 'Another one', labels: ['mission'] });
    await sync(connection.id);
    expect((await call({ method: 'GET', url: `/api/v1/tasks/${task?.id}/messages` })).json().data).toHaveLength(1);
  });
});
