import type { AuditEntry } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeMember, testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import AuditPage from './audit-page';

const ada = makeMember('Ada', 'ada@example.com');

const entry: AuditEntry = {
  id: testId(),
  workspaceId: testId(),
  at: '2026-01-01T09:00:00.000Z',
  actor: { kind: 'user', id: ada.user.id },
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
  it('lists entries by who did them, with each changed field before and after, and filters by action', async () => {
    const { calls } = renderWithApp(<AuditPage />, {
      'GET /audit-log': () => ({ status: 200, body: { data: [entry], nextCursor: null } }),
      'GET /agents': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [ada] } }),
    });
    expect(await screen.findByText("a member's role changed from member to admin")).toBeTruthy();
    expect(screen.getByText('203.0.113.7')).toBeTruthy();
    expect(await screen.findByText('Ada')).toBeTruthy();
    expect(screen.getByText((_, element) => element?.tagName === 'LI' && element.textContent === 'role: member → admin')).toBeTruthy();
    const auditCalls = () => calls.filter((call) => call.path.startsWith('/audit-log')).length;
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'auth.sign-in-failed' } });
    await waitFor(() => expect(auditCalls()).toBe(2));
  });

  it('says who may read it when the server answers 403', async () => {
    renderWithApp(<AuditPage />, {
      'GET /audit-log': () => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'Your role (member) cannot do this.' } } }),
    });
    expect(await screen.findByText(/owners and admins only/)).toBeTruthy();
  });
});
