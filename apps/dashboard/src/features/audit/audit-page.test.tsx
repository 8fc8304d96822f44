import type { AuditEntry } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import AuditPage from './audit-page';

const entry: AuditEntry = {
  id: testId(),
  workspaceId: testId(),
  at: '2026-01-01T09:00:00.000Z',
  actor: { kind: 'user', id: testId() },
  action: 'member.role-changed',
  targetKind: 'user',
  targetId: testId(),
  summary: "a member's role changed from member to admin",
  ip: '203.0.113.7',
  userAgent: 'Firefox',
  before: { role: 'member' },
  after: { role: 'admin' },
};

describe('AuditPage', () => {
  it('lists entries with before and after, and filters by action', async () => {
    const { calls } = renderWithApp(<AuditPage />, {
      'GET /audit-log': () => ({ status: 200, body: { data: [entry], nextCursor: null } }),
    });
    expect(await screen.findByText("a member's role changed from member to admin")).toBeTruthy();
    expect(screen.getByText('203.0.113.7')).toBeTruthy();
    expect(screen.getByText('{"role":"member"} → {"role":"admin"}')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'auth.sign-in-failed' } });
    await waitFor(() => expect(calls.length).toBe(2));
  });

  it('says who may read it when the server answers 403', async () => {
    renderWithApp(<AuditPage />, {
      'GET /audit-log': () => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'Your role (member) cannot do this.' } } }),
    });
    expect(await screen.findByText(/owners and admins only/)).toBeTruthy();
  });
});
