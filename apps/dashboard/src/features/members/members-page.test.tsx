import type { CustomRole, Invitation, Member, WorkspaceRole } from '@mission-control/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { createFakeMembersAndRoles } from '../../test/fake-members-and-roles';
import { makeCustomRole, makeMember, makeSession, testId, workspaceId } from '../../test/fixtures';
import { type RouteHandler, renderWithApp } from '../../test/render-with-app';
import { memberRoleLabel } from './member-wording';
import MembersPage from './members-page';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** Olivia (the signed-in person, as makeSession names her) with a role, and the people around her. */
function setUp(myRole: WorkspaceRole = 'owner') {
  const session = makeSession(myRole);
  const me: Member = { user: session.user, role: myRole, customRole: null, joinedAt: daysAgo(30) };
  const triage = makeCustomRole({ name: 'Triage', baseRole: 'member', permissions: ['tasks.read', 'tasks.write'], memberCount: 1 });
  const auditor = makeCustomRole({ name: 'Auditor', baseRole: 'viewer', permissions: ['tasks.read'] });
  const ada = makeMember('Ada Admin', 'ada@example.com', { role: 'admin', joinedAt: daysAgo(3) });
  const nova = makeMember('Nova Newcomer', 'nova@example.com', { role: 'member', joinedAt: new Date().toISOString() });
  const tess = makeMember('Tess Triage', 'tess@example.com', {
    role: 'member',
    customRole: { id: triage.id, name: 'Triage' },
    joinedAt: daysAgo(10),
  });
  return { session, me, triage, auditor, ada, nova, tess };
}

function renderPage(
  people: ReturnType<typeof setUp>,
  options: { members?: Member[]; roles?: CustomRole[]; invitations?: Invitation[]; others?: Record<string, RouteHandler> } = {},
) {
  const fake = createFakeMembersAndRoles({
    members: options.members ?? [people.me, people.ada, people.nova, people.tess],
    roles: options.roles ?? [people.triage, people.auditor],
    invitations: options.invitations ?? [],
    actorRole: people.session.role,
    others: options.others ?? {},
  });
  const view = renderWithApp(
    <>
      <MembersPage />
      <Toaster />
    </>,
    fake.routes,
  );
  act(() => view.services.session.set(people.session));
  return { ...view, fake };
}

const rowOf = async (name: string) => {
  const row = (await screen.findByText(name)).closest('li');
  if (!row) throw new Error(`No member row shows ${name}`);
  return within(row);
};

/** The same bar as the browser tests (e2e/axe.ts): no serious or critical violation (contrast is checked there). */
async function expectNoSeriousViolations(container: HTMLElement) {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => [violation.id, violation.nodes.map((node) => node.html)])).toEqual([]);
}

/** Toasts outlive a test (they fade after seconds), so one is found by its words, then checked for its role. */
async function findToast(text: string, role: 'status' | 'alert') {
  const toast = (await screen.findByText(text)).closest('[role]');
  expect(toast?.getAttribute('role')).toBe(role);
  return toast;
}

const patches = (calls: Array<{ method: string; path: string; body: unknown }>) => calls.filter((call) => call.method === 'PATCH');

describe('member wording', () => {
  it('says a custom role with the built-in role it narrows', () => {
    expect(memberRoleLabel({ role: 'member', customRole: { id: testId(), name: 'Triage' } })).toBe('Triage · narrows member');
    expect(memberRoleLabel({ role: 'admin', customRole: null })).toBe('Admin');
  });
});

describe('the members page', () => {
  it('shows each member by name and email with their role and when they joined', async () => {
    const people = setUp('owner');
    const view = renderPage(people);
    const tess = await rowOf('Tess Triage');
    expect(tess.getByText('tess@example.com')).toBeTruthy();
    expect(tess.getByText('10 days ago')).toBeTruthy();
    await waitFor(() => expect((tess.getByLabelText('Role of Tess Triage') as HTMLSelectElement).value).toBe(`custom:${people.triage.id}`));
    const picker = tess.getByLabelText('Role of Tess Triage') as HTMLSelectElement;
    expect(picker.selectedOptions[0]?.textContent).toBe('Triage · narrows member');
    // Built-in roles first, then the custom ones with what they narrow.
    expect([...picker.options].map((option) => option.textContent)).toEqual([
      'Owner',
      'Admin',
      'Member',
      'Viewer',
      'Auditor · narrows viewer',
      'Triage · narrows member',
    ]);
    expect((await rowOf('Nova Newcomer')).getByText('just now')).toBeTruthy();
    expect((await rowOf('Olivia')).getByText('you')).toBeTruthy();
    // Nobody removes themselves from here by accident.
    expect((await rowOf('Olivia')).queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(screen.getByText('4 members')).toBeTruthy();
    await expectNoSeriousViolations(view.container);
  });

  it('gives a member a custom role at once: sends its id, says so, and shows it on the row', async () => {
    const people = setUp('owner');
    const view = renderPage(people);
    const nova = await rowOf('Nova Newcomer');
    await waitFor(() => expect(nova.getByText('Auditor · narrows viewer')).toBeTruthy());
    fireEvent.change(nova.getByLabelText('Role of Nova Newcomer'), { target: { value: `custom:${people.auditor.id}` } });

    await findToast('Nova Newcomer is now Auditor · narrows viewer.', 'status');
    expect(patches(view.calls)).toEqual([
      { method: 'PATCH', path: `/members/${people.nova.user.id}`, body: { customRoleId: people.auditor.id } },
    ]);
    expect((nova.getByLabelText('Role of Nova Newcomer') as HTMLSelectElement).value).toBe(`custom:${people.auditor.id}`);
    expect(view.fake.members().find((member) => member.user.id === people.nova.user.id)?.customRole?.name).toBe('Auditor');
    // The roles' member counts follow.
    await waitFor(() => expect(view.calls.filter((call) => call.path === '/roles')).toHaveLength(2));
  });

  it('gives a built-in role back with the role alone, which clears the custom one', async () => {
    const people = setUp('owner');
    const view = renderPage(people);
    const tess = await rowOf('Tess Triage');
    fireEvent.change(tess.getByLabelText('Role of Tess Triage'), { target: { value: 'viewer' } });
    await findToast('Tess Triage is now Viewer.', 'status');
    expect(patches(view.calls).map((call) => call.body)).toEqual([{ role: 'viewer' }]);
    await waitFor(() => expect((tess.getByLabelText('Role of Tess Triage') as HTMLSelectElement).value).toBe('viewer'));
  });

  it('says in plain words that the last owner stays one (409 LAST_OWNER), and keeps the row as it was', async () => {
    const people = setUp('owner');
    const view = renderPage(people);
    const me = await rowOf('Olivia');
    fireEvent.change(me.getByLabelText('Role of Olivia'), { target: { value: 'admin' } });
    await findToast('A workspace needs at least one owner: make someone else owner first.', 'alert');
    expect(patches(view.calls).map((call) => call.body)).toEqual([{ role: 'admin' }]);
    await waitFor(() => expect((me.getByLabelText('Role of Olivia') as HTMLSelectElement).value).toBe('owner'));
  });

  it('lets an admin change others but not owners: owner is not offered, and an owner’s row is locked', async () => {
    const people = setUp('admin');
    const owner = makeMember('Omar Owner', 'omar@example.com', { role: 'owner' });
    renderPage(people, { members: [owner, people.me, people.nova] });
    const omar = await rowOf('Omar Owner');
    const locked = omar.getByLabelText('Role of Omar Owner') as HTMLSelectElement;
    expect(locked.disabled).toBe(true);
    expect(omar.getByText('Only an owner can change an owner’s role.')).toBeTruthy();
    expect(omar.queryByRole('button', { name: /^Remove/ })).toBeNull();
    const nova = await rowOf('Nova Newcomer');
    const picker = nova.getByLabelText('Role of Nova Newcomer') as HTMLSelectElement;
    expect(picker.disabled).toBe(false);
    expect([...picker.options].find((option) => option.value === 'owner')?.disabled).toBe(true);
  });

  it('says in plain words that only an owner touches owners (403 FORBIDDEN)', async () => {
    const people = setUp('admin');
    renderPage(people, {
      others: {
        [`PATCH /members/${people.nova.user.id}`]: () => ({
          status: 403,
          body: { error: { code: 'FORBIDDEN', message: 'Only an owner can change the role of an owner.' } },
        }),
      },
    });
    const nova = await rowOf('Nova Newcomer');
    fireEvent.change(nova.getByLabelText('Role of Nova Newcomer'), { target: { value: 'viewer' } });
    await findToast('Only an owner can make someone an owner or change an owner’s role.', 'alert');
  });

  it('removes a member after asking, and sends nothing when the question is cancelled', async () => {
    const people = setUp('owner');
    const view = renderPage(people);
    fireEvent.click((await rowOf('Nova Newcomer')).getByRole('button', { name: 'Remove Nova Newcomer' }));
    let dialog = within(await screen.findByRole('dialog', { name: 'Remove Nova Newcomer?' }));
    expect(dialog.getByText(/their sessions here end at once/)).toBeTruthy();
    // The dialog itself: radix hides the page behind it (aria-hidden), which axe would report on the page.
    await expectNoSeriousViolations(screen.getByRole('dialog'));
    fireEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(view.calls.filter((call) => call.method === 'DELETE')).toEqual([]);

    fireEvent.click((await rowOf('Nova Newcomer')).getByRole('button', { name: 'Remove Nova Newcomer' }));
    dialog = within(await screen.findByRole('dialog', { name: 'Remove Nova Newcomer?' }));
    fireEvent.click(dialog.getByRole('button', { name: 'Remove Nova Newcomer' }));
    await findToast('Removed Nova Newcomer from the workspace.', 'status');
    expect(view.calls.filter((call) => call.method === 'DELETE')).toEqual([
      { method: 'DELETE', path: `/members/${people.nova.user.id}`, body: undefined },
    ]);
    await waitFor(() => expect(screen.queryByText('Nova Newcomer')).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says in the dialog why a removal was refused', async () => {
    const people = setUp('owner');
    renderPage(people, {
      others: {
        [`DELETE /members/${people.ada.user.id}`]: () => ({
          status: 409,
          body: { error: { code: 'LAST_OWNER', message: 'A workspace needs at least one owner. Make someone else owner first.' } },
        }),
      },
    });
    fireEvent.click((await rowOf('Ada Admin')).getByRole('button', { name: 'Remove Ada Admin' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Remove Ada Admin?' }));
    fireEvent.click(dialog.getByRole('button', { name: 'Remove Ada Admin' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('A workspace needs at least one owner: make someone else owner first.');
  });

  it.each(['member', 'viewer'] as const)('shows a %s the list without controls', async (role) => {
    const people = setUp(role);
    const view = renderPage(people);
    const tess = await rowOf('Tess Triage');
    expect(tess.getByText('Triage · narrows member')).toBeTruthy();
    expect((await rowOf('Ada Admin')).getByText('Admin')).toBeTruthy();
    expect(screen.getByText('Only owners and admins can change roles and remove people.')).toBeTruthy();
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Invite people' })).toBeNull();
    expect(view.calls.some((call) => call.path === '/invitations' || call.path === '/roles')).toBe(false);
    await expectNoSeriousViolations(view.container);
  });

  it('invites an email with a role, shows the link once, and lists and revokes what waits for an answer', async () => {
    const people = setUp('admin');
    const waiting: Invitation = {
      id: testId(),
      workspaceId,
      email: 'rex@example.com',
      role: 'member',
      status: 'pending',
      expiresAt: new Date(Date.now() + 3 * 86_400_000 + 60_000).toISOString(),
      createdAt: daysAgo(4),
      invitedBy: { kind: 'user', id: people.me.user.id },
      respondedAt: null,
    };
    const view = renderPage(people, { invitations: [waiting] });
    const region = within(await screen.findByRole('region', { name: 'Invite people' }));
    expect((await region.findByText('rex@example.com')).closest('li')?.textContent).toContain('as member, expires in 3 days');

    fireEvent.change(region.getByLabelText('Email'), { target: { value: 'Vera@Example.com' } });
    fireEvent.change(region.getByLabelText('Role'), { target: { value: 'viewer' } });
    fireEvent.click(region.getByRole('button', { name: 'Send invitation' }));
    const link = await region.findByTestId('revealed-secret');
    expect(link.textContent).toBe(`${window.location.origin}/invite/mc_inv_2`);
    expect(view.calls.filter((call) => call.method === 'POST')).toEqual([
      { method: 'POST', path: '/invitations', body: { email: 'vera@example.com', role: 'viewer' } },
    ]);
    expect(await region.findByText('vera@example.com', { selector: 'span.font-mono' })).toBeTruthy();
    await expectNoSeriousViolations(view.container);
    fireEvent.click(region.getByRole('button', { name: 'I saved it' }));
    expect(region.queryByTestId('revealed-secret')).toBeNull();

    fireEvent.click(region.getByRole('button', { name: 'Revoke the invitation of rex@example.com' }));
    await findToast('Revoked the invitation of rex@example.com: its link no longer works.', 'status');
    expect(view.calls.filter((call) => call.method === 'DELETE')).toEqual([
      { method: 'DELETE', path: `/invitations/${waiting.id}`, body: undefined },
    ]);
    await waitFor(() => expect(region.queryByText('rex@example.com')).toBeNull());
  });

  it('says on the email field that a wrong address or an existing member cannot be invited', async () => {
    const people = setUp('owner');
    const view = renderPage(people);
    const region = within(await screen.findByRole('region', { name: 'Invite people' }));
    const email = region.getByLabelText('Email');
    fireEvent.change(email, { target: { value: 'not an email' } });
    fireEvent.click(region.getByRole('button', { name: 'Send invitation' }));
    expect(await region.findByText('Enter an email address, such as nova@example.com.')).toBeTruthy();
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(view.calls.filter((call) => call.method === 'POST')).toEqual([]);

    fireEvent.change(email, { target: { value: 'nova@example.com' } });
    fireEvent.click(region.getByRole('button', { name: 'Send invitation' }));
    expect(await region.findByText('nova@example.com is already a member of this workspace.')).toBeTruthy();
  });
});
