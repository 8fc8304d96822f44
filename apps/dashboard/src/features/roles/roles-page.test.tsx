import type { CustomRole, Member, WorkspaceRole } from '@mission-control/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '../../lib/query-keys';
import { Toaster } from '../../lib/toasts';
import { createFakeMembersAndRoles, testPermissions } from '../../test/fake-members-and-roles';
import { makeActivity, makeCustomRole, makeMember, makeSession, testId } from '../../test/fixtures';
import { createTestQueryClient, type RouteHandler, renderWithApp } from '../../test/render-with-app';
import { applyActivity } from '../realtime/apply-activity';
import { describeRoleInUse, groupPermissions, permissionGroupLabel } from './role-wording';
import RolesPage from './roles-page';

function renderPage(
  options: { role?: WorkspaceRole; roles?: CustomRole[]; members?: Member[]; others?: Record<string, RouteHandler> } = {},
) {
  const session = makeSession(options.role ?? 'owner');
  const fake = createFakeMembersAndRoles({
    members: options.members ?? [],
    roles: options.roles ?? [],
    actorRole: session.role,
    others: options.others ?? {},
  });
  const view = renderWithApp(
    <>
      <RolesPage />
      <Toaster />
    </>,
    fake.routes,
  );
  act(() => view.services.session.set(session));
  return { ...view, fake };
}

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
}

const cardOf = async (name: string) => {
  const card = (await screen.findByRole('heading', { name, level: 3 })).closest('li');
  if (!card) throw new Error(`No role card for ${name}`);
  return within(card);
};

const sent = (calls: Array<{ method: string; path: string; body: unknown }>, method: string) =>
  calls.filter((call) => call.method === method);

describe('role wording', () => {
  it('groups permissions by the part before the dot, read and write side by side', () => {
    const groups = groupPermissions(testPermissions);
    expect(groups.map((group) => [group.group, group.read?.name ?? null, group.write?.name ?? null])).toEqual([
      ['agents', 'agents.read', 'agents.write'],
      ['mcp', null, 'mcp.write'],
      ['tasks', 'tasks.read', 'tasks.write'],
      ['working-state', 'working-state.read', 'working-state.write'],
    ]);
    expect(groups.map((group) => permissionGroupLabel(group.group))).toEqual(['Agents', 'MCP', 'Tasks', 'Working state']);
    expect(describeRoleInUse(1)).toBe('1 member holds this role: give them another role first.');
    expect(describeRoleInUse(2)).toBe('2 members hold this role: give them another role first.');
  });
});

describe('live role events', () => {
  it('refresh the roles and the members (their role names and counts) when a role or a member changes', () => {
    const roleId = testId();
    const events = [
      makeActivity(1, { type: 'role-updated', data: { roleId, name: 'Sorter', baseRole: 'member', permissions: ['tasks.read'] } }),
      makeActivity(2, { type: 'member-updated', data: { userId: testId(), role: 'member', previousRole: 'viewer', customRoleId: roleId } }),
    ];
    for (const event of events) {
      const invalidated: unknown[] = [];
      applyActivity(createTestQueryClient(), event, { invalidate: (key) => invalidated.push(key), refreshTask: () => {} });
      expect(invalidated).toContainEqual(queryKeys.roles);
      expect(invalidated).toContainEqual(queryKeys.members);
    }
  });
});

describe('the roles page', () => {
  it('lists the built-in roles with what they may do, and custom roles with their holders and permissions', async () => {
    const triage = makeCustomRole({
      name: 'Triage',
      description: 'Sorts the inbox',
      baseRole: 'member',
      permissions: ['tasks.read', 'tasks.write'],
    });
    const holders = [
      makeMember('Tess', 'tess@example.com', { customRole: { id: triage.id, name: 'Triage' } }),
      makeMember('Tom', 'tom@example.com', { customRole: { id: triage.id, name: 'Triage' } }),
    ];
    const view = renderPage({ roles: [triage, makeCustomRole({ name: 'Auditor', baseRole: 'viewer' })], members: holders });
    const builtIn = await screen.findAllByTestId('built-in-role');
    expect(builtIn.map((each) => each.textContent)).toEqual([
      'OwnerEverything, including the audit settings and making other owners.',
      'AdminEverything but the audit settings and owners: people, agents, keys, integrations.',
      'MemberThe work itself: tasks, messages, documents, and agents with their keys.',
      'ViewerReads everything, changes nothing.',
    ]);
    const card = await cardOf('Triage');
    expect(card.getByText('narrows member')).toBeTruthy();
    expect(card.getByText('Sorts the inbox')).toBeTruthy();
    expect(card.getByTestId('custom-role-counts').textContent).toBe('2 members hold it · 2 permissions');
    expect(card.getByRole('list', { name: 'Permissions of Triage' }).textContent).toBe('tasks.readtasks.write');
    expect((await cardOf('Auditor')).getByTestId('custom-role-counts').textContent).toBe('Nobody holds it · 1 permission');
    await expectNoSeriousViolations(view.container);
  });

  it('creates a role from the grouped checklist and sends exactly what was chosen', async () => {
    const view = renderPage();
    expect(await screen.findByText('No custom roles yet')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: '+ New role' }));
    const form = within(await screen.findByRole('form', { name: 'New role' }));
    fireEvent.change(form.getByLabelText('Name'), { target: { value: '  Triage  ' } });
    fireEvent.change(form.getByLabelText('Description (optional)'), { target: { value: 'Sorts the inbox' } });
    fireEvent.click(form.getByLabelText('Viewer'));
    // Each permission says what it allows, in its row (the area) and column (read or write).
    const tasks = within(form.getByTestId('permission-group-tasks'));
    expect(form.getByRole('group', { name: 'Tasks' })).toBe(form.getByTestId('permission-group-tasks'));
    const write = tasks.getByLabelText('tasks.write');
    expect(write.getAttribute('aria-describedby')).toBeTruthy();
    expect(tasks.getByText('Change tasks (its POST, PUT, PATCH and DELETE endpoints)')).toBeTruthy();
    fireEvent.click(write);
    fireEvent.click(tasks.getByLabelText('tasks.read'));
    fireEvent.click(form.getByLabelText('mcp.write'));
    expect(form.getByText(/3 permissions chosen/)).toBeTruthy();
    await expectNoSeriousViolations(view.container);
    fireEvent.click(form.getByRole('button', { name: 'Create role' }));

    await findToast('Created the role Triage.', 'status');
    expect(sent(view.calls, 'POST')).toEqual([
      {
        method: 'POST',
        path: '/roles',
        body: {
          name: 'Triage',
          description: 'Sorts the inbox',
          permissions: ['mcp.write', 'tasks.read', 'tasks.write'],
          baseRole: 'viewer',
        },
      },
    ]);
    expect(screen.queryByRole('form', { name: 'New role' })).toBeNull();
    expect((await cardOf('Triage')).getByText('narrows viewer')).toBeTruthy();
  });

  it('says on the fields what is missing, without sending anything', async () => {
    const view = renderPage();
    fireEvent.click(await screen.findByRole('button', { name: '+ New role' }));
    const form = within(await screen.findByRole('form', { name: 'New role' }));
    fireEvent.click(form.getByRole('button', { name: 'Create role' }));
    expect(await form.findByText('Give the role a name.')).toBeTruthy();
    const name = form.getByLabelText('Name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    const problem = form.getByText('Pick at least one permission: a role without any could do nothing.');
    expect(form.getByRole('group', { name: 'Permissions' }).getAttribute('aria-describedby')).toContain(problem.id);

    fireEvent.change(name, { target: { value: 'Admin' } });
    fireEvent.click(form.getByRole('button', { name: 'Every read permission' }));
    expect(form.getByText(/3 permissions chosen/)).toBeTruthy();
    fireEvent.click(form.getByRole('button', { name: 'Create role' }));
    expect(await form.findByText('Owner, admin, member and viewer are the built-in roles: pick another name.')).toBeTruthy();
    expect(form.queryByText('Pick at least one permission: a role without any could do nothing.')).toBeNull();
    expect(sent(view.calls, 'POST')).toEqual([]);
  });

  it('puts a name taken meanwhile (409) and a permission the server does not know (400) on their fields', async () => {
    let answer = 0;
    renderPage({
      roles: [makeCustomRole({ name: 'Triage' })],
      others: {
        'POST /roles': () => {
          answer += 1;
          return answer === 1
            ? { status: 409, body: { error: { code: 'ROLE_NAME_TAKEN', message: 'The workspace already has a role named "triage".' } } }
            : {
                status: 400,
                body: {
                  error: {
                    code: 'VALIDATION_FAILED',
                    message: 'Unknown permissions: tasks.read. GET /api/v1/permissions lists the names.',
                    details: { issues: [{ path: 'permissions', message: 'Unknown permissions: tasks.read' }] },
                  },
                },
              };
        },
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: '+ New role' }));
    const form = within(await screen.findByRole('form', { name: 'New role' }));
    fireEvent.change(form.getByLabelText('Name'), { target: { value: 'triage' } });
    fireEvent.click(form.getByLabelText('tasks.read'));
    fireEvent.click(form.getByRole('button', { name: 'Create role' }));
    expect(await form.findByText('Another role is already called “triage”: pick another name.')).toBeTruthy();
    expect(form.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(form.queryByRole('alert')).toBeNull();

    fireEvent.change(form.getByLabelText('Name'), { target: { value: 'Sorter' } });
    fireEvent.click(form.getByRole('button', { name: 'Create role' }));
    expect(await form.findByText('This server does not know tasks.read: reload the page to see the permissions it has.')).toBeTruthy();
    expect(form.queryByText(/already called/)).toBeNull();
  });

  it('edits a role: the base role stays, and only what changed is sent', async () => {
    const triage = makeCustomRole({ name: 'Triage', description: 'Sorts the inbox', permissions: ['tasks.read'] });
    const view = renderPage({ roles: [triage] });
    fireEvent.click((await cardOf('Triage')).getByRole('button', { name: 'Edit Triage' }));
    const form = within(await screen.findByRole('form', { name: 'Edit Triage' }));
    expect(form.getByText(/It cannot change: to narrow another role, create a new role/)).toBeTruthy();
    expect(form.queryByRole('radio')).toBeNull();
    expect((form.getByLabelText('tasks.read') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(form.getByRole('button', { name: 'Save role' }));
    expect(await form.findByRole('alert')).toBeTruthy();
    expect(form.getByRole('alert').textContent).toBe('Nothing to save: change the name, the description or the permissions first.');

    fireEvent.click(form.getByLabelText('tasks.write'));
    fireEvent.click(form.getByLabelText('agents.read'));
    await expectNoSeriousViolations(view.container);
    fireEvent.click(form.getByRole('button', { name: 'Save role' }));
    await findToast('Saved the role Triage.', 'status');
    expect(sent(view.calls, 'PATCH')).toEqual([
      { method: 'PATCH', path: `/roles/${triage.id}`, body: { permissions: ['agents.read', 'tasks.read', 'tasks.write'] } },
    ]);
    await waitFor(async () =>
      expect((await cardOf('Triage')).getByTestId('custom-role-counts').textContent).toBe('Nobody holds it · 3 permissions'),
    );
  });

  it('deletes a role nobody holds after asking', async () => {
    const auditor = makeCustomRole({ name: 'Auditor', baseRole: 'viewer' });
    const view = renderPage({ roles: [auditor] });
    fireEvent.click((await cardOf('Auditor')).getByRole('button', { name: 'Delete Auditor' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Delete the role Auditor?' }));
    expect(dialog.getByText(/Nobody holds it now/)).toBeTruthy();
    await expectNoSeriousViolations(screen.getByRole('dialog'));
    fireEvent.click(dialog.getByRole('button', { name: 'Delete Auditor' }));
    await findToast('Deleted the role Auditor.', 'status');
    expect(sent(view.calls, 'DELETE')).toEqual([{ method: 'DELETE', path: `/roles/${auditor.id}`, body: undefined }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('No custom roles yet')).toBeTruthy();
  });

  it('says that members still hold a role, and offers no delete', async () => {
    const triage = makeCustomRole({ name: 'Triage' });
    const holders = ['Tess', 'Tom'].map((name) =>
      makeMember(name, `${name.toLowerCase()}@example.com`, { customRole: { id: triage.id, name: 'Triage' } }),
    );
    const view = renderPage({ roles: [triage], members: holders });
    fireEvent.click((await cardOf('Triage')).getByRole('button', { name: 'Delete Triage' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Delete the role Triage?' }));
    expect(dialog.getByText('2 members hold this role: give them another role first.')).toBeTruthy();
    expect(dialog.getByRole('link', { name: 'Open members' }).getAttribute('href')).toBe('/settings/members');
    expect(dialog.queryByRole('button', { name: 'Delete Triage' })).toBeNull();
    expect(sent(view.calls, 'DELETE')).toEqual([]);
  });

  it('explains a refusal with 409 ROLE_IN_USE when someone got the role meanwhile', async () => {
    const triage = makeCustomRole({ name: 'Triage' });
    renderPage({
      roles: [triage],
      others: {
        [`DELETE /roles/${triage.id}`]: () => ({
          status: 409,
          body: { error: { code: 'ROLE_IN_USE', message: '2 members hold the role Triage.', details: { memberCount: 2 } } },
        }),
      },
    });
    fireEvent.click((await cardOf('Triage')).getByRole('button', { name: 'Delete Triage' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Delete the role Triage?' }));
    fireEvent.click(dialog.getByRole('button', { name: 'Delete Triage' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('2 members hold this role: give them another role first.');
    expect(dialog.getByRole('link', { name: 'Open members' })).toBeTruthy();
  });

  it.each(['member', 'viewer'] as const)('shows a %s the roles without controls', async (role) => {
    const view = renderPage({ role, roles: [makeCustomRole({ name: 'Triage' })] });
    const card = await cardOf('Triage');
    expect(card.queryByRole('button')).toBeNull();
    expect(screen.queryByRole('button', { name: '+ New role' })).toBeNull();
    expect(screen.getByText('Only owners and admins can create and change roles.')).toBeTruthy();
    await expectNoSeriousViolations(view.container);
  });
});
