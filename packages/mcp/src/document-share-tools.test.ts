import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { type AgentTool, createAgentTools } from './agent-tools.js';
import { runCheckedTool } from './test/run-checked-tool.js';

function textOf(result: Awaited<ReturnType<AgentTool['run']>>): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

describeEachEngine('agent tools: share_document, list_document_shares and revoke_document_share', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  let tools: Map<string, AgentTool>;

  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
    const { apiKey } = await server.createAgentWithKey();
    tools = new Map(createAgentTools({ client: new MissionControl({ baseUrl: server.url, apiKey }) }).map((tool) => [tool.name, tool]));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const run = (name: string, input: Record<string, unknown>) => runCheckedTool(tools, name, input);

  it('shares a document as a link that opens without signing in, lists it with its view, and revokes it', async () => {
    const document = await owner.documents.create({ title: 'Release notes', content: '## 2.0\n\n- Faster search' });
    expect(textOf(await run('list_document_shares', { documentId: document.id }))).toBe(
      'The document has no share links. Make one with share_document.',
    );

    const shared = await run('share_document', { documentId: document.id, expiresInDays: 2 });
    expect(shared.isError).toBeUndefined();
    const [summary] = textOf(shared).split('\n');
    const match = /^Share (\S+) \(expires (\S+)\): (\S+)$/.exec(summary ?? '');
    expect(match).not.toBeNull();
    const [, shareId, expiresAt, url] = match as unknown as [string, string, string, string];
    expect(url.startsWith(`${server.url}/share/`)).toBe(true);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<li>Faster search</li>');

    // What the agent made is what the owner sees through the API.
    const [stored] = await owner.documents.listShares(document.id);
    expect(stored).toMatchObject({ id: shareId, expiresAt, viewCount: 1, revokedAt: null, createdBy: { kind: 'agent' } });
    const listed = textOf(await run('list_document_shares', { documentId: document.id }));
    expect(listed).toContain('1 share link(s):');
    expect(listed).toContain(`- ${shareId} (${stored?.tokenPrefix}…) by ${stored?.createdByName}`);
    expect(listed).toContain(`expires ${expiresAt}, 1 view(s)`);

    const revoked = await run('revoke_document_share', { documentId: document.id, shareId });
    expect(revoked.isError).toBeUndefined();
    expect(textOf(revoked)).toBe(`Revoked share ${shareId}: the link answers 404 from now on.`);
    expect((await fetch(url)).status).toBe(404);
    expect(textOf(await run('list_document_shares', { documentId: document.id }))).toMatch(/, revoked \S+, 1 view\(s\)$/);
  });

  it('makes a link without an expiry, and names the error for an unknown share or document', async () => {
    const document = await owner.documents.create({ title: 'FAQ', content: 'Ask us' });
    const forever = await run('share_document', { documentId: document.id });
    expect(textOf(forever)).toMatch(/^Share \S+ \(never expires\): /);
    expect((await owner.documents.listShares(document.id))[0]?.expiresAt).toBeNull();

    const unknownShare = await run('revoke_document_share', { documentId: document.id, shareId: document.id });
    expect(unknownShare.isError).toBe(true);
    expect(textOf(unknownShare)).toContain('error DOCUMENT_SHARE_NOT_FOUND');
    const unknownDocument = await run('share_document', { documentId: '01900000-0000-7000-8000-000000000000' });
    expect(unknownDocument.isError).toBe(true);
    expect(textOf(unknownDocument)).toContain('error DOCUMENT_NOT_FOUND');
    expect(await owner.documents.listShares(document.id)).toHaveLength(1);
  });
});
