import type { Message } from '@mission-control/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeMember, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { MessageThread } from './message-thread';

describe('reactions under a message', () => {
  it('shows each emoji with its count and who, and sends a picked emoji', async () => {
    const taskId = testId();
    const ada = makeMember('Ada', 'ada@example.com');
    const grace = makeMember('Grace', 'grace@example.com');
    const message: Message = {
      id: testId(),
      workspaceId,
      taskId,
      author: { kind: 'user', id: ada.user.id },
      content: 'Draft is up',
      type: 'comment',
      replyToId: null,
      attachments: [],
      reactions: [
        {
          emoji: '👍',
          count: 2,
          by: [
            { kind: 'user', id: ada.user.id },
            { kind: 'user', id: grace.user.id },
          ],
        },
      ],
      createdAt: '2026-01-01T09:00:00.000Z',
    };
    const { calls } = renderWithApp(<MessageThread taskId={taskId} />, {
      'GET /agents': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [ada, grace] } }),
      [`GET /tasks/${taskId}/messages`]: () => ({ status: 200, body: { data: [message], nextCursor: null } }),
      [`POST /messages/${message.id}/reactions`]: ({ body }) => ({
        status: 200,
        body: {
          ...message,
          reactions: [...message.reactions, { emoji: (body as { emoji: string }).emoji, count: 1, by: [message.author] }],
        },
      }),
    });
    const posted = await screen.findByTestId('message');
    const chip = await within(posted).findByRole('button', { name: /👍 2, from Ada, Grace/ });
    expect(chip.getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(within(posted).getByRole('button', { name: 'React' }));
    fireEvent.click(within(posted).getByRole('button', { name: 'React with 🎉' }));
    await within(posted).findByRole('button', { name: /🎉 1, from Ada/ });
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      { method: 'POST', path: `/messages/${message.id}/reactions`, body: { emoji: '🎉' } },
    ]);
  });
});
