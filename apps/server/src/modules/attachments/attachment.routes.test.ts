import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

const boundary = 'mission-test-boundary';

/** A multipart/form-data body with one file part, built by hand so the claimed type is ours to choose. */
function multipartBody(file: { name: string; content: Buffer; claimedType: string; field?: string }) {
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: ${file.claimedType}\r\n\r\n`,
      ),
      file.content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

// A 1×1 PNG; random bytes after its end make the round trip cover every byte value.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describeEachEngine('attachments', (engine) => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  const createTask = async () => {
    const response = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Ship the release' } });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; key: string };
  };
  const upload = (url: string, file: Parameters<typeof multipartBody>[0], token?: string) =>
    server.request({ method: 'POST', url, ...multipartBody(file), ...(token ? { token } : {}) });
  const storedAttachments = () => server.database.db.selectFrom('attachments').selectAll().execute();

  it('stores a binary file and gives it back byte for byte, typed from its content', async () => {
    server = await createTestServer(engine);
    const task = await createTask();
    const content = Buffer.concat([png, randomBytes(70_000)]);
    const response = await upload(`/api/v1/tasks/${task.key}/attachments`, { name: 'chart.png', content, claimedType: 'text/html' });
    expect(response.statusCode, response.body).toBe(201);
    const attachment = response.json();
    expect(attachment).toMatchObject({ taskId: task.id, messageId: null, name: 'chart.png', size: content.length, type: 'image/png' });

    const download = await server.request({ method: 'GET', url: `/api/v1/attachments/${attachment.id}` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="chart.png"; filename*=UTF-8''chart.png`);

    const list = await server.request({ method: 'GET', url: `/api/v1/tasks/${task.id}/attachments` });
    expect(list.json().data.map((item: { id: string }) => item.id)).toEqual([attachment.id]);
    const events = await server.database.db.selectFrom('events').selectAll().where('type', '=', 'attachment-added').execute();
    expect(events).toHaveLength(1);
  });

  it('serves an HTML upload as a download of plain bytes with nosniff, whatever type the client claimed', async () => {
    server = await createTestServer(engine);
    const task = await createTask();
    const content = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
    const response = await upload(`/api/v1/tasks/${task.id}/attachments`, { name: 'évil page.html', content, claimedType: 'image/png' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().type).not.toBe('image/png');

    const download = await server.request({ method: 'GET', url: `/api/v1/attachments/${response.json().id}` });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).not.toMatch(/html|image\/png/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="_vil page.html"; filename*=UTF-8''%C3%A9vil%20page.html`);
    expect(download.body).toBe(content.toString());
  });

  it('refuses a file beyond the configured limit with 413 and stores nothing', async () => {
    server = await createTestServer(engine, { config: { attachmentMaxBytes: 1_024 } });
    const task = await createTask();
    const response = await upload(`/api/v1/tasks/${task.id}/attachments`, {
      name: 'big.bin',
      content: randomBytes(1_025),
      claimedType: 'application/octet-stream',
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await storedAttachments()).toEqual([]);
    const fits = await upload(`/api/v1/tasks/${task.id}/attachments`, {
      name: 'fits.bin',
      content: randomBytes(1_024),
      claimedType: 'x/y',
    });
    expect(fits.statusCode, fits.body).toBe(201);
  });

  it('attaches a file to a message, listed with its task', async () => {
    server = await createTestServer(engine);
    const task = await createTask();
    const message = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${task.id}/messages`,
      payload: { content: 'Logs attached' },
    });
    expect(message.statusCode).toBe(201);
    const response = await upload(`/api/v1/messages/${message.json().id}/attachments`, {
      name: 'run.log',
      content: Buffer.from('line one\nline two\n'),
      claimedType: 'application/pdf',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ taskId: task.id, messageId: message.json().id, type: 'text/plain' });
    const list = await server.request({ method: 'GET', url: `/api/v1/tasks/${task.key}/attachments` });
    expect(list.json().data).toHaveLength(1);
  });

  const storedBytes = async (sha256: string) =>
    engine === 'postgres'
      ? (await server.database.db.selectFrom('attachment_contents').select('sha256').where('sha256', '=', sha256).execute()).length > 0
      : fs.existsSync(path.join(server.attachmentDirectory, sha256));

  it('deletes an attachment with 204 and appends attachment-removed; the bytes go with the last attachment that has them', async () => {
    server = await createTestServer(engine);
    const task = await createTask();
    const file = { name: 'notes.txt', content: Buffer.from('shared bytes'), claimedType: 'text/plain' };
    const first = (await upload(`/api/v1/tasks/${task.id}/attachments`, file)).json();
    const second = (await upload(`/api/v1/tasks/${task.id}/attachments`, { ...file, name: 'copy.txt' })).json();
    expect(first.sha256).toBe(second.sha256);

    const removed = await server.request({ method: 'DELETE', url: `/api/v1/attachments/${first.id}` });
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await server.request({ method: 'GET', url: `/api/v1/attachments/${first.id}` })).statusCode).toBe(404);
    expect(await storedBytes(first.sha256)).toBe(true);
    const kept = await server.request({ method: 'GET', url: `/api/v1/attachments/${second.id}` });
    expect(kept.body).toBe('shared bytes');

    expect((await server.request({ method: 'DELETE', url: `/api/v1/attachments/${second.id}` })).statusCode).toBe(204);
    expect(await storedBytes(first.sha256)).toBe(false);
    expect(await storedAttachments()).toEqual([]);
    const events = await server.database.db.selectFrom('events').selectAll().where('type', '=', 'attachment-removed').execute();
    expect(events.map((event) => event.summary)).toEqual([expect.stringContaining('"notes.txt"'), expect.stringContaining('"copy.txt"')]);

    // The same bytes uploaded again are stored again.
    const again = (await upload(`/api/v1/tasks/${task.id}/attachments`, file)).json();
    expect((await server.request({ method: 'GET', url: `/api/v1/attachments/${again.id}` })).body).toBe('shared bytes');
  });

  it('lets only the uploader, an admin or an owner delete: 403 to another member, 404 to another workspace', async () => {
    server = await createTestServer(engine);
    const task = await createTask();
    const member = await server.addMember({ email: 'uploader@example.com' });
    const other = await server.addMember({ email: 'other@example.com' });
    const file = { name: 'a.txt', content: Buffer.from('mine'), claimedType: 'text/plain' };
    const created = (await upload(`/api/v1/tasks/${task.id}/attachments`, file, member.token)).json();

    const forbidden = await server.request({ method: 'DELETE', url: `/api/v1/attachments/${created.id}`, token: other.token });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    const otherWorkspace = await server.request({
      method: 'DELETE',
      url: `/api/v1/attachments/${created.id}`,
      token: await server.createOtherWorkspaceToken(),
    });
    expect(otherWorkspace.statusCode).toBe(404);
    expect(otherWorkspace.json().error.code).toBe('ATTACHMENT_NOT_FOUND');
    expect(await storedAttachments()).toHaveLength(1);
    expect(await storedBytes(created.sha256)).toBe(true);

    const byUploader = await server.request({ method: 'DELETE', url: `/api/v1/attachments/${created.id}`, token: member.token });
    expect(byUploader.statusCode).toBe(204);
    const byOwner = (await upload(`/api/v1/tasks/${task.id}/attachments`, file, member.token)).json();
    expect((await server.request({ method: 'DELETE', url: `/api/v1/attachments/${byOwner.id}` })).statusCode).toBe(204);
    expect(await storedAttachments()).toEqual([]);
  });

  it('replays an upload sent again with its Idempotency-Key, and answers 422 to another file under the same key', async () => {
    server = await createTestServer(engine);
    const task = await createTask();
    const url = `/api/v1/tasks/${task.id}/attachments`;
    const send = (content: string) => {
      const body = multipartBody({ name: 'report.txt', content: Buffer.from(content), claimedType: 'text/plain' });
      return server.request({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, 'idempotency-key': 'upload-1' } });
    };
    const first = await send('version one');
    expect(first.statusCode, first.body).toBe(201);
    const replay = await send('version one');
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.json().id).toBe(first.json().id);

    const different = await send('version two');
    expect(different.statusCode).toBe(422);
    expect(different.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await storedAttachments()).map((row) => row.sha256)).toEqual([first.json().sha256]);
  });

  describe('bad requests', () => {
    it('answers 404 for another workspace’s attachment, task or message, and stores nothing', async () => {
      server = await createTestServer(engine);
      const task = await createTask();
      const file = { name: 'a.txt', content: Buffer.from('hello'), claimedType: 'text/plain' };
      const created = (await upload(`/api/v1/tasks/${task.id}/attachments`, file)).json();
      const otherToken = await server.createOtherWorkspaceToken();

      const download = await server.request({ method: 'GET', url: `/api/v1/attachments/${created.id}`, token: otherToken });
      expect(download.statusCode).toBe(404);
      expect(download.json().error.code).toBe('ATTACHMENT_NOT_FOUND');
      const intoTask = await upload(`/api/v1/tasks/${task.id}/attachments`, file, otherToken);
      expect(intoTask.statusCode).toBe(404);
      expect(intoTask.json().error.code).toBe('TASK_NOT_FOUND');
      const list = await server.request({ method: 'GET', url: `/api/v1/tasks/${task.id}/attachments`, token: otherToken });
      expect(list.statusCode).toBe(404);
      expect(await storedAttachments()).toHaveLength(1);
    });

    it('answers 400 without a part named file and 415 for a JSON body', async () => {
      server = await createTestServer(engine);
      const task = await createTask();
      const url = `/api/v1/tasks/${task.id}/attachments`;
      const wrongField = await upload(url, { name: 'a.txt', content: Buffer.from('x'), claimedType: 'text/plain', field: 'upload' });
      expect(wrongField.statusCode).toBe(400);
      expect(wrongField.json().error.code).toBe('VALIDATION_FAILED');
      const json = await server.request({ method: 'POST', url, payload: { file: 'x' } });
      expect(json.statusCode).toBe(415);
      expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await storedAttachments()).toEqual([]);
    });
  });
});
