import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type GithubPeer, type RealServer, startGithubPeer, startRealServer } from '../../sdk/src/test/real-server.js';
import { type AgentTool, createAgentTools } from './agent-tools.js';
import { runCheckedTool } from './test/run-checked-tool.js';

const token = 'ghp_mcp_test_token_0123456789';

function textOf(result: Awaited<ReturnType<AgentTool['run']>>): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

describeEachEngine('agent tools: search_github and read_github_file', (engine) => {
  let server: RealServer;
  let peer: GithubPeer;
  let tools: Map<string, AgentTool>;

  beforeAll(async () => {
    peer = await startGithubPeer({ owner: 'octo-org', repo: 'widgets', token });
    server = await startRealServer(engine, { integrations: { allowPrivateTargets: true, githubApiUrl: peer.url } });
    const { apiKey } = await server.createAgentWithKey();
    const client = new MissionControl({ baseUrl: server.url, apiKey });
    tools = new Map(createAgentTools({ client }).map((tool) => [tool.name, tool]));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await peer?.close();
  });

  const run = (name: string, input: Record<string, unknown>) => runCheckedTool(tools, name, input);

  it('says no repository is connected, then searches and reads the connected one with a token the agent never sees', async () => {
    const none = await run('search_github', { query: 'darkMode', limit: 10 });
    expect(none.isError).toBe(true);
    expect(textOf(none)).toContain('no GitHub repository is connected');

    const owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
    await owner.github.connect({ owner: 'octo-org', repo: 'widgets', token });
    peer.files.set('src/theme.ts', 'export const darkMode = true;\n');

    const found = await run('search_github', { query: 'darkMode', limit: 10 });
    expect(found.isError).toBeUndefined();
    expect(textOf(found)).toContain('1 file(s) in octo-org/widgets match "darkMode"');
    expect(textOf(found)).toContain('src/theme.ts');

    const read = await run('read_github_file', { path: 'src/theme.ts' });
    expect(textOf(read)).toContain('export const darkMode = true;');
    const wrong = await run('read_github_file', { path: 'src/theme.ts', repository: 'octo-org/other' });
    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toContain('the connected repositories are octo-org/widgets');
    const missing = await run('read_github_file', { path: 'nope.ts' });
    expect(textOf(missing)).toContain('GITHUB_FILE_NOT_FOUND');
    for (const result of [found, read, wrong, missing]) expect(textOf(result)).not.toContain(token);
  });
});
