import type { FileAttachment, Message } from '@mission-control/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMember, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { installViewport } from '../../test/viewport';
import { MessageThread } from './message-thread';

const taskId = testId();
const owner = makeMember('Owner', 'demo@mission.local');
const messageOf = (content: string): Message => ({
  id: testId(),
  workspaceId,
  taskId,
  author: { kind: 'user', id: owner.user.id },
  content,
  type: 'comment',
  replyToId: null,
  attachments: [],
  reactions: [],
  createdAt: '2026-01-01T09:00:00.000Z',
});
const fileOf = (messageId: string | null, name: string, type: string, size: number): FileAttachment => ({
  id: testId(),
  workspaceId,
  taskId,
  messageId,
  name,
  size,
  type,
  sha256: 'a'.repeat(64),
  uploadedBy: { kind: 'user', id: owner.user.id },
  createdAt: '2026-01-01T09:00:00.000Z',
});

describe('files in the message thread', () => {
  // jsdom has no object URLs; the browser's are only handles, so one per blob stands in.
  const { createObjectURL, revokeObjectURL } = URL;
  let viewport: ReturnType<typeof installViewport>;
  beforeEach(() => {
    viewport = installViewport();
    let next = 0;
    URL.createObjectURL = () => `blob:preview-${++next}`;
    URL.revokeObjectURL = () => {};
  });
  afterEach(() => {
    viewport.restore();
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
  });

  it('shows a message’s images as thumbnails fetched with the credential, other files as name and size, and the task’s own files not at all', async () => {
    const withFiles = messageOf('The chart and the plan');
    const plain = messageOf('No files here');
    const chart = fileOf(withFiles.id, 'chart.png', 'image/png', 2_048);
    const plan = fileOf(withFiles.id, 'plan.pdf', 'application/pdf', 3 * 1_024 * 1_024);
    const taskOwn = fileOf(null, 'brief.png', 'image/png', 100);
    const credentials: Array<string | null> = [];
    const view = renderWithApp(<MessageThread taskId={taskId} />, {
      'GET /agents': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [owner] } }),
      [`GET /tasks/${taskId}/messages`]: () => ({ status: 200, body: { data: [withFiles, plain], nextCursor: null } }),
      [`GET /tasks/${taskId}/attachments`]: () => ({ status: 200, body: { data: [taskOwn, chart, plan] } }),
      [`GET /attachments/${chart.id}`]: ({ headers }) => {
        credentials.push(headers.get('authorization'));
        return new Response(new Uint8Array([137, 80, 78, 71]), { headers: { 'content-type': 'image/png' } });
      },
      [`GET /attachments/${plan.id}`]: () =>
        new Response(new Uint8Array([37, 80, 68, 70]), { headers: { 'content-type': 'application/pdf' } }),
    });

    const [first, second] = await screen.findAllByTestId('message');
    await within(first as HTMLElement).findByText('Loading chart.png');
    // Lazy: nothing is fetched until the thumbnail comes near the viewport.
    expect(credentials).toEqual([]);
    viewport.scrollAllIntoView();
    const thumbnail = await within(first as HTMLElement).findByAltText('chart.png');
    expect(thumbnail.getAttribute('src')).toMatch(/^blob:preview-/);
    expect(thumbnail.getAttribute('loading')).toBe('lazy');
    // Choosing the thumbnail opens the full image in a new tab, from the same fetched bytes.
    const open = within(first as HTMLElement).getByRole('link', { name: 'chart.png' });
    expect(open.getAttribute('href')).toBe(thumbnail.getAttribute('src'));
    expect(open.getAttribute('target')).toBe('_blank');
    expect(credentials).toEqual(['Bearer test-token']);

    const pdf = within(first as HTMLElement).getByRole('button', { name: 'plan.pdf (3.0 MB)' });
    expect(within(first as HTMLElement).queryByAltText('plan.pdf')).toBeNull();
    // Only images are fetched up front; a PDF's bytes come when someone asks for them.
    expect(view.calls.some((call) => call.path === `/attachments/${plan.id}`)).toBe(false);
    await userEvent.click(pdf);
    await expect.poll(() => view.calls.some((call) => call.path === `/attachments/${plan.id}`)).toBe(true);

    expect(within(second as HTMLElement).queryByRole('list', { name: 'Files' })).toBeNull();
    expect(screen.queryByAltText('brief.png')).toBeNull();
    expect(view.calls.some((call) => call.path === `/attachments/${taskOwn.id}`)).toBe(false);

    // The same bar as the browser tests (e2e/axe.ts): no serious or critical violation.
    const results = await axe.run(view.container, { rules: { 'color-contrast': { enabled: false } } });
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => [violation.id, violation.nodes.map((node) => node.html)])).toEqual([]);
  });

  it('falls back to the name and size when an image cannot be fetched', async () => {
    const message = messageOf('A broken image');
    const gone = fileOf(message.id, 'gone.webp', 'image/webp', 512);
    renderWithApp(<MessageThread taskId={taskId} />, {
      'GET /agents': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [owner] } }),
      [`GET /tasks/${taskId}/messages`]: () => ({ status: 200, body: { data: [message], nextCursor: null } }),
      [`GET /tasks/${taskId}/attachments`]: () => ({ status: 200, body: { data: [gone] } }),
      [`GET /attachments/${gone.id}`]: () => ({
        status: 404,
        body: { error: { code: 'ATTACHMENT_NOT_FOUND', message: 'No attachment with that id.' } },
      }),
    });
    await screen.findByText('Loading gone.webp');
    viewport.scrollAllIntoView();
    expect(await screen.findByRole('button', { name: 'gone.webp (512 B)' })).toBeTruthy();
    expect(screen.queryByAltText('gone.webp')).toBeNull();
  });
});
