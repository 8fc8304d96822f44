import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './client.js';
import { isMissionControlError } from './errors.js';
import { describeEachEngine, type GithubPeer, type RealServer, startGithubPeer, startRealServer } from './test/real-server.js';

const token = 'ghp_sdk_test_token_0123456789';

describeEachEngine('sdk: GitHub connections', (engine) => {
  let server: RealServer;
  let peer: GithubPeer;
  let client: MissionControl;

  beforeAll(async () => {
    peer = await startGithubPeer({ owner: 'octo-org', repo: 'widgets', token });
    server = await startRealServer(engine, { integrations: { allowPrivateTargets: true, githubApiUrl: peer.url } });
    client = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server?.close();
    await peer?.close();
  });

  it('connects, syncs a labelled issue into a task, searches and reads files, and disconnects', async () => {
    const connection = await client.github.connect({ owner: 'octo-org', repo: 'widgets', token, label: 'mission' });
    expect(connection.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    peer.addIssue({ title: 'From GitHub', labels: ['mission'] });
    expect(await client.github.sync(connection.id)).toMatchObject({ imported: 1, notModified: false });
    expect((await client.tasks.list().toArray(10)).map((task) => task.title)).toEqual(['From GitHub']);
    const [listed] = await client.github.list();
    expect(listed?.sync.importedIssues).toBe(1);
    expect(JSON.stringify(listed)).not.toContain(token);

    peer.files.set('src/app.ts', 'export const answer = 42;\n');
    expect((await client.github.search(connection.id, 'answer')).items.map((item) => item.path)).toEqual(['src/app.ts']);
    expect((await client.github.readFile(connection.id, 'src/app.ts')).content).toBe('export const answer = 42;\n');
    const missing = await client.github.readFile(connection.id, 'nope.ts').catch((error: unknown) => error);
    expect(isMissionControlError(missing) && missing.code).toBe('GITHUB_FILE_NOT_FOUND');

    expect((await client.github.update(connection.id, { enabled: false })).enabled).toBe(false);
    await client.github.delete(connection.id);
    expect(await client.github.list()).toEqual([]);
  });
});
