import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import type { GithubConnectionWithSecret, Task } from '@mission-control/contracts';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Engine } from '../db/database.js';
import { type GithubPeer, startGithubPeer } from './github-peer.js';
import { createTestServer, type TestServer } from './test-server.js';

export const githubTestToken = 'ghp_test_token_that_must_never_leak_0123456789';

/**
 * A test server pointed at a local GitHub peer (octo-org/widgets), fresh for every test, with the
 * calls the GitHub tests share. After every test it checks that the token appeared in no answer
 * and no log line.
 */
export function useGithubTestServer(engine: Engine) {
  let server: TestServer | undefined;
  let peer: GithubPeer | undefined;
  let log = '';
  const answers: string[] = [];

  beforeEach(async () => {
    log = '';
    answers.length = 0;
    peer = await startGithubPeer({ owner: 'octo-org', repo: 'widgets', token: githubTestToken });
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
    for (const body of answers) expect(body).not.toContain(githubTestToken);
    expect(log).not.toContain(githubTestToken);
    await server?.close();
    await peer?.close();
  });

  const context = {
    get server(): TestServer {
      if (!server) throw new Error('no test server outside a test');
      return server;
    },
    get peer(): GithubPeer {
      if (!peer) throw new Error('no GitHub peer outside a test');
      return peer;
    },
    async call(options: Parameters<TestServer['request']>[0]) {
      const answer = await context.server.request(options);
      answers.push(answer.body);
      return answer;
    },
    async connect(payload: Record<string, unknown> = {}): Promise<GithubConnectionWithSecret> {
      const answer = await context.call({
        method: 'POST',
        url: '/api/v1/integrations/github',
        payload: { owner: 'octo-org', repo: 'widgets', token: githubTestToken, label: 'mission', ...payload },
      });
      expect(answer.statusCode, answer.body).toBe(201);
      return answer.json();
    },
    async sync(connectionId: string) {
      const answer = await context.call({ method: 'POST', url: `/api/v1/integrations/github/${connectionId}/sync` });
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json();
    },
    async tasks(): Promise<Task[]> {
      return (await context.call({ method: 'GET', url: '/api/v1/tasks' })).json().data;
    },
    signed(secret: string, body: string): string {
      return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    },
    sendWebhook(connectionId: string, event: string, body: string, signature: string | undefined) {
      return context.server.app.inject({
        method: 'POST',
        url: `/api/v1/integrations/github/${connectionId}/events`,
        payload: body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
      });
    },
  };
  return context;
}
