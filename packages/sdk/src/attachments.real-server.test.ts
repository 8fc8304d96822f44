import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl, MissionControlError } from './index.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('attachments through the SDK', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken, retry: { retries: 0 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('uploads a Buffer and a Blob, lists them and downloads the same bytes', async () => {
    const task = await owner.tasks.create({ title: 'Collect the logs' });
    const bytes = randomBytes(5_000);
    const fromBuffer = await owner.attachments.uploadToTask(task.key, 'dump.bin', bytes);
    expect(fromBuffer).toMatchObject({ taskId: task.id, name: 'dump.bin', size: 5_000, type: 'application/octet-stream' });
    const message = await owner.messages.post(task.id, { content: 'Here is the log' });
    const fromBlob = await owner.attachments.uploadToMessage(message.id, 'run.log', new Blob(['all green\n']));
    expect(fromBlob).toMatchObject({ messageId: message.id, type: 'text/plain' });

    expect((await owner.attachments.listForTask(task.id)).map((item) => item.id)).toEqual([fromBuffer.id, fromBlob.id]);
    const downloaded = await owner.attachments.download(fromBuffer.id);
    expect(Buffer.from(await downloaded.content.arrayBuffer()).equals(bytes)).toBe(true);
    expect(downloaded.name).toBe('dump.bin');
    const accented = await owner.attachments.uploadToTask(task.id, 'Überblick; v2.md', Buffer.from('# Ü\n'));
    expect((await owner.attachments.download(accented.id)).name).toBe('Überblick; v2.md');
    await owner.attachments.delete(accented.id);
    await expect(owner.attachments.download(task.id)).rejects.toMatchObject({ code: 'ATTACHMENT_NOT_FOUND' });
    await expect(owner.attachments.download(task.id)).rejects.toBeInstanceOf(MissionControlError);

    await owner.attachments.delete(fromBlob.id);
    expect((await owner.attachments.listForTask(task.id)).map((item) => item.id)).toEqual([fromBuffer.id]);
    await expect(owner.attachments.delete(fromBlob.id)).rejects.toMatchObject({ code: 'ATTACHMENT_NOT_FOUND' });
  });
});
