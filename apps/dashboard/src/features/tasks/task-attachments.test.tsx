import type { FileAttachment } from '@mission-control/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { installViewport } from '../../test/viewport';
import { formatFileSize } from '../attachments/attachment-preview';
import { TaskAttachments } from './task-attachments';

const taskId = testId();
const attachmentOf = (name: string, type: string, size: number): FileAttachment => ({
  id: testId(),
  workspaceId,
  taskId,
  messageId: null,
  name,
  size,
  type,
  sha256: 'a'.repeat(64),
  uploadedBy: { kind: 'user', id: testId() },
  createdAt: '2026-01-01T09:00:00.000Z',
});

describe('task attachments', () => {
  // jsdom has no object URLs; the browser's are only handles, so a fixed one stands in.
  const { createObjectURL, revokeObjectURL } = URL;
  let viewport: ReturnType<typeof installViewport>;
  beforeEach(() => {
    viewport = installViewport();
    URL.createObjectURL = () => 'blob:preview';
    URL.revokeObjectURL = () => {};
  });
  afterEach(() => {
    viewport.restore();
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
  });

  it('lists the files with their sizes, previews images and uploads a chosen file', async () => {
    const chart = attachmentOf('chart.png', 'image/png', 2_048);
    const notes = attachmentOf('notes.txt', 'text/plain', 300);
    const uploaded = attachmentOf('plan.pdf', 'application/pdf', 3 * 1_024 * 1_024);
    let list = [chart, notes];
    const view = renderWithApp(<TaskAttachments taskId={taskId} />, {
      [`GET /tasks/${taskId}/attachments`]: () => ({ status: 200, body: { data: list } }),
      [`GET /attachments/${chart.id}`]: () => new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'image/png' } }),
      [`POST /tasks/${taskId}/attachments`]: () => {
        list = [...list, uploaded];
        return { status: 201, body: uploaded };
      },
      [`DELETE /attachments/${notes.id}`]: () => {
        list = list.filter((item) => item.id !== notes.id);
        return { status: 204 };
      },
    });
    expect(await screen.findByRole('button', { name: 'chart.png' })).toBeTruthy();
    expect(screen.getByText(/300 B/)).toBeTruthy();
    viewport.scrollAllIntoView();
    expect((await screen.findByAltText('Preview of chart.png')).getAttribute('src')).toBe('blob:preview');
    expect(screen.queryByAltText('Preview of notes.txt')).toBeNull();

    await userEvent.upload(screen.getByLabelText('Attach a file'), new File(['%PDF-1.4'], 'plan.pdf'));
    expect(await screen.findByRole('button', { name: 'plan.pdf' })).toBeTruthy();
    expect(view.calls.some((call) => call.method === 'POST' && call.path === `/tasks/${taskId}/attachments`)).toBe(true);

    await userEvent.click(screen.getByRole('button', { name: 'Delete notes.txt' }));
    await expect.poll(() => screen.queryByRole('button', { name: 'notes.txt' })).toBeNull();
    expect(view.calls.some((call) => call.method === 'DELETE' && call.path === `/attachments/${notes.id}`)).toBe(true);
  });

  it('words sizes for people', () => {
    expect([formatFileSize(512), formatFileSize(2_458), formatFileSize(3_250_586)]).toEqual(['512 B', '2.4 KB', '3.1 MB']);
  });
});
