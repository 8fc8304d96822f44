import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorAnswer, expectNoSeriousViolations, makeListing, makeModerationItem, renderMarketplace } from './marketplace-test-fixtures';
import ModerationPage from './moderation-page';

const listing = makeListing({ title: 'Helper' });

describe('the moderation page', () => {
  it('tells someone who is not a server administrator who moderates, instead of showing an error', async () => {
    const view = renderMarketplace(<ModerationPage />, {
      at: '/marketplace/moderation',
      role: 'member',
      routes: {
        'GET /marketplace/moderation/queue': () =>
          errorAnswer(
            403,
            'INSTANCE_ADMIN_REQUIRED',
            'Only an administrator of this server moderates the marketplace (the owners of its first organisation).',
          ),
      },
    });
    expect(await screen.findByText('Only server administrators moderate the marketplace')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Word list' })).toBeNull();
    expect(view.calls.some((call) => call.path === '/marketplace/moderation/settings')).toBe(false);
    await expectNoSeriousViolations(view.container);
  });

  it('shows the queue with report reasons and matched words, decides with a reason, and edits the word list', async () => {
    const item = makeModerationItem(listing);
    let pending = [item];
    const view = renderMarketplace(<ModerationPage />, {
      at: '/marketplace/moderation',
      routes: {
        'GET /marketplace/moderation/queue': () => ({ status: 200, body: { data: pending, nextCursor: null } }),
        [`POST /marketplace/moderation/reviews/${item.id}`]: () => {
          pending = [];
          return { status: 200, body: { ...item, status: 'published' } };
        },
        'GET /marketplace/moderation/settings': () => ({ status: 200, body: { blockedWords: ['scam'] } }),
        'PUT /marketplace/moderation/settings': ({ body }) => ({ status: 200, body }),
      },
    });
    const card = within(await screen.findByTestId('moderation-item'));
    expect(card.getByRole('link', { name: 'Helper' })).toBeTruthy();
    expect(card.getByText('Mina Member')).toBeTruthy();
    expect(card.getByText('Reported once:')).toBeTruthy();
    expect(within(card.getByRole('list', { name: 'Reasons it was reported' })).getByText('Off topic')).toBeTruthy();
    expect(card.getByText('scam').tagName).toBe('MARK');
    expect(screen.getByText('1 review waiting, oldest first.')).toBeTruthy();

    fireEvent.click(card.getByRole('button', { name: 'Approve' }));
    expect((await card.findByRole('alert')).textContent).toBe('Say why in a few words: the reason is kept with the review.');
    fireEvent.change(card.getByLabelText('Reason for your decision'), { target: { value: 'On topic after all' } });
    fireEvent.click(card.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Approved the review by Mina Member: it counts again.')).toBeTruthy();
    expect(view.calls.find((call) => call.method === 'POST')?.body).toEqual({ decision: 'approve', reason: 'On topic after all' });
    expect(await screen.findByText('The queue is empty')).toBeTruthy();

    const words = within(screen.getByRole('form', { name: 'Word list' }));
    const field = words.getByLabelText('Words, one a line') as HTMLTextAreaElement;
    await waitFor(() => expect(field.value).toBe('scam'));
    fireEvent.change(field, { target: { value: 'scam\nFraud, x' } });
    fireEvent.click(words.getByRole('button', { name: 'Save word list' }));
    expect(await words.findByText('“x” is too short: a word needs at least 2 letters.')).toBeTruthy();
    fireEvent.change(field, { target: { value: 'scam\nFraud\nscam' } });
    fireEvent.click(words.getByRole('button', { name: 'Save word list' }));
    expect(await screen.findByText('Saved 2 words.')).toBeTruthy();
    expect(view.calls.find((call) => call.method === 'PUT')?.body).toEqual({ blockedWords: ['scam', 'fraud'] });
    await expectNoSeriousViolations(view.container);
  });

  it('shows decided reviews with who decided and why', async () => {
    const decided = makeModerationItem(listing, {
      status: 'rejected',
      moderation: { decision: 'rejected', reason: 'Abusive', by: 'Olivia Owner', at: new Date(Date.now() - 7_200_000).toISOString() },
    });
    let answer: unknown[] = [];
    const view = renderMarketplace(<ModerationPage />, {
      at: '/marketplace/moderation',
      routes: {
        'GET /marketplace/moderation/queue': () => ({ status: 200, body: { data: answer, nextCursor: null } }),
        'GET /marketplace/moderation/settings': () => ({ status: 200, body: { blockedWords: [] } }),
      },
    });
    expect(await screen.findByText('Nothing waits for a moderator.')).toBeTruthy();
    answer = [decided];
    fireEvent.click(screen.getByRole('button', { name: 'Decided' }));
    const card = within(await screen.findByTestId('moderation-item'));
    expect(view.lastQuery('/marketplace/moderation/queue').status).toBe('decided');
    expect(card.getByText(/^Rejected by Olivia Owner 2 hours ago: “Abusive”$/)).toBeTruthy();
    expect(card.queryByRole('button', { name: 'Approve' })).toBeNull();
  });
});
