import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { type AgentTool, createAgentTools } from './agent-tools.js';
import { attachmentReadLimitBytes } from './attachment-tools.js';
import { runCheckedTool } from './test/run-checked-tool.js';

function textOf(result: Awaited<ReturnType<AgentTool['run']>>): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

// The 8-byte PNG signature and an IHDR chunk header: enough for the server to sniff image/png.
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4cf0000000049454e44ae426082',
  'hex',
);

describeEachEngine('agent tools: list_attachments and read_attachment', (engine) => {
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

  it('lists a task’s attachments and reads a markdown one through the API', async () => {
    const task = await owner.tasks.create({ title: 'Review the runbook' });
    expect(textOf(await run('list_attachments', { taskId: task.key }))).toContain('No files are attached');
    const markdown = '# Runbook\n\nRestart the queue with `systemctl restart queue` — then check «health».\n';
    const notes = await owner.attachments.uploadToTask(task.id, 'runbook.md', Buffer.from(markdown));
    const image = await owner.attachments.uploadToTask(task.id, 'diagram.png', png);
    expect(image.type).toBe('image/png');

    const listed = textOf(await run('list_attachments', { taskId: task.key }));
    expect(listed).toContain('2 attachment(s)');
    expect(listed).toContain(`${notes.id} "runbook.md" (text/plain`);
    expect(listed).toContain(`${image.id} "diagram.png" (image/png`);

    const read = await run('read_attachment', { attachmentId: notes.id });
    expect(read.isError).toBeUndefined();
    expect(textOf(read)).toBe(`"runbook.md" (text/plain, ${Buffer.byteLength(markdown)} B)\n\n${markdown}`);
  });

  it('refuses a binary attachment, naming its type, and says when an id is unknown', async () => {
    const task = await owner.tasks.create({ title: 'Look at the diagram' });
    const image = await owner.attachments.uploadToTask(task.id, 'diagram.png', png);
    const refused = await run('read_attachment', { attachmentId: image.id });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('"diagram.png" is image/png, not text');

    const missing = await run('read_attachment', { attachmentId: task.id });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('ATTACHMENT_NOT_FOUND');
  });

  it('cuts a large text file at 200 KB and says it was cut', async () => {
    const task = await owner.tasks.create({ title: 'Read the export' });
    const row = 'id,name,amount\n';
    const csv = row.repeat(Math.ceil((attachmentReadLimitBytes * 2) / row.length));
    const large = await owner.attachments.uploadToTask(task.id, 'export.csv', Buffer.from(csv));
    const text = textOf(await run('read_attachment', { attachmentId: large.id }));
    const [header, body] = text.split('\n\n', 2) as [string, string];
    expect(header).toContain('"export.csv"');
    expect(header).toContain('cut, showing the first 200 KB');
    expect(text.length).toBeLessThan(attachmentReadLimitBytes + 200);
    expect(csv.startsWith(text.slice(header.length + 2))).toBe(true);
    expect(body.startsWith('id,name,amount\n')).toBe(true);
  });
});
