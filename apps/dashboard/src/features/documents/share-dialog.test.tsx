import type { DocumentShare } from '@mission-control/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { absoluteShareUrl, ShareDocumentButton } from './share-dialog';

const documentId = testId();
const token = `mc_share_${'A'.repeat(43)}`;
const shareOf = (overrides: Partial<DocumentShare>): DocumentShare => ({
  id: testId(),
  documentId,
  tokenPrefix: 'mc_share_AbCdEf',
  createdBy: { kind: 'user', id: testId() },
  createdByName: 'Pepper',
  createdAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
  expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  revokedAt: null,
  viewCount: 4,
  lastViewedAt: new Date(Date.now() - 20 * 60_000).toISOString(),
  ...overrides,
});

describe('share dialog', () => {
  it('makes a link that is shown once, lists links with their views and revokes one', async () => {
    const live = shareOf({});
    const revoked = shareOf({ createdByName: 'Happy', revokedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(), viewCount: 1 });
    const created = shareOf({ createdByName: 'Tony', viewCount: 0, lastViewedAt: null, createdAt: new Date().toISOString() });
    let list = [live, revoked];
    const view = renderWithApp(<ShareDocumentButton documentId={documentId} title="Launch plan" />, {
      [`GET /documents/${documentId}/shares`]: () => ({ status: 200, body: { data: list } }),
      [`POST /documents/${documentId}/shares`]: () => {
        list = [created, ...list];
        return { status: 201, body: { id: created.id, token, url: `/share/${token}`, share: created } };
      },
      [`DELETE /documents/${documentId}/shares/${live.id}`]: () => {
        list = list.map((share) => (share.id === live.id ? { ...share, revokedAt: new Date().toISOString() } : share));
        return { status: 204 };
      },
    });

    await userEvent.click(screen.getByRole('button', { name: 'Share' }));
    const dialog = await screen.findByRole('dialog', { name: 'Share read-only' });
    expect(await within(dialog).findByText(/4 views, last 20 min\. ago/)).toBeTruthy();
    expect(within(dialog).getByText(/revoked 3 days ago · 1 view/)).toBeTruthy();
    // Only the live link can be revoked.
    expect(within(dialog).getAllByRole('button', { name: /^Revoke/ })).toHaveLength(1);

    await userEvent.selectOptions(within(dialog).getByLabelText('Link works for'), '30');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create link' }));
    expect((await within(dialog).findByTestId('revealed-secret')).textContent).toBe(`${window.location.origin}/share/${token}`);
    expect(within(dialog).getByText(/never shown again/)).toBeTruthy();
    const post = view.calls.find((call) => call.method === 'POST');
    expect(post?.body).toEqual({ expiresInDays: 30 });
    expect(await within(dialog).findByText(/Made by Tony/)).toBeTruthy();

    await userEvent.click(within(dialog).getByRole('button', { name: 'I saved it' }));
    expect(within(dialog).queryByTestId('revealed-secret')).toBeNull();

    await userEvent.click(within(dialog).getByRole('button', { name: /^Revoke the link made by Pepper/ }));
    expect(view.calls.some((call) => call.method === 'DELETE' && call.path === `/documents/${documentId}/shares/${live.id}`)).toBe(true);
    // Tony's new link is the only one left to revoke.
    await within(dialog).findByRole('button', { name: /^Revoke the link made by Tony/ });
    expect(within(dialog).getAllByRole('button', { name: /^Revoke/ })).toHaveLength(1);
  });

  it('keeps a link that already names the public URL as it is', () => {
    expect(absoluteShareUrl('https://mission.example.com/share/x', 'http://localhost:5173')).toBe('https://mission.example.com/share/x');
    expect(absoluteShareUrl('/share/x', 'http://localhost:5173')).toBe('http://localhost:5173/share/x');
  });
});
