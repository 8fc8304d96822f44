import type { Message } from '@mission-control/contracts';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAgent, makeMember, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { MessageThread } from './message-thread';

describe('mentions in a posted message (defect 10)', () => {
  it('highlights the handles that mention someone, names them, and leaves code, emails and unknown handles plain', async () => {
    const taskId = testId();
    const forge = makeAgent({ name: 'scripted-forge' });
    const owner = makeMember('Owner', 'demo@mission.local');
    const message: Message = {
      id: testId(),
      workspaceId,
      taskId,
      author: { kind: 'user', id: owner.user.id },
      content: 'Thanks @scripted-forge. Ask @demo or @nobody, mail ada@example.com, not `@demo` in code. FYI @all',
      type: 'comment',
      replyToId: null,
      attachments: [],
      reactions: [],
      createdAt: '2026-01-01T09:00:00.000Z',
    };
    renderWithApp(<MessageThread taskId={taskId} />, {
      'GET /agents': () => ({ status: 200, body: { data: [forge], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [owner] } }),
      [`GET /tasks/${taskId}/messages`]: () => ({ status: 200, body: { data: [message], nextCursor: null } }),
    });
    const posted = await screen.findByTestId('message');
    await within(posted).findByTitle('Mentions Owner, person');
    const mentions = [...posted.querySelectorAll('.mention')];
    expect(mentions.map((mention) => [mention.textContent, mention.getAttribute('title')])).toEqual([
      ['@scripted-forge', 'Mentions scripted-forge, agent'],
      ['@demo', 'Mentions Owner, person'],
      ['@all', 'Mentions everyone in the workspace'],
    ]);
    // The sentence's dot stays outside the mention, and the text reads as written.
    expect(posted.querySelector('.markdown-body')?.textContent).toBe(message.content.replace('`@demo`', '@demo'));
    expect(posted.querySelector('code .mention')).toBeNull();
  });
});
