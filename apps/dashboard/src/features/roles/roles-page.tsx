import type { BuiltInRole, CustomRole, Permission } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { plural } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { RoleForm } from './role-form';
import { builtInRoleLabel, describeDeleteFailure, describeRoleInUse } from './role-wording';
import { canManageRoles, useDeleteRole, usePermissions, useRoles } from './roles-api';

/**
 * Settings → Roles: the built-in roles with what each may do, and the workspace's custom roles
 * (a built-in role narrowed to a set of permissions) with how many members hold them. Owners and
 * admins create, change and delete custom roles; everyone else reads them.
 */
export default function RolesPage() {
  usePageTitle('Roles');
  const session = useSession();
  const roles = useRoles();
  const permissions = usePermissions();
  const manages = canManageRoles(session?.role);
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deletingId, setDeletingId] = useState<string | null>(null);
  const builtIn = roles.data?.builtIn ?? [];
  const formReady = permissions.data !== undefined && roles.data !== undefined;
  // The list's copy, so a refresh after a refusal (members hold it after all) shows the new count.
  const deleting = roles.data?.data.find((role) => role.id === deletingId);

  return (
    <div className="mx-auto flex max-w-5xl min-w-0 flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-black tracking-tighter uppercase">Roles</h1>
        <Link to="/settings/members" className="brutal-button">
          Members
        </Link>
      </div>
      <p className="max-w-3xl">
        Every member holds one role. A custom role is a built-in role narrowed to the permissions it lists: its holders can do what the
        built-in role can, through those permissions only. Give roles to people on the{' '}
        <Link to="/settings/members" className="font-bold underline">
          members page
        </Link>
        .
      </p>
      {roles.isPending ? <SkeletonList rows={3} /> : null}
      {roles.isError ? <ErrorState error={roles.error} what="the roles" onRetry={() => void roles.refetch()} /> : null}
      {roles.data ? <BuiltInRoles roles={builtIn} /> : null}
      {roles.data ? (
        <section className="flex min-w-0 flex-col gap-3" aria-labelledby="custom-roles-title">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="custom-roles-title" className="text-xl font-black uppercase">
              Custom roles
            </h2>
            {manages && !creating ? (
              <button
                type="button"
                className="brutal-button"
                data-variant="primary"
                disabled={!formReady}
                onClick={() => {
                  setEditingId(null);
                  setCreating(true);
                }}
              >
                + New role
              </button>
            ) : null}
          </div>
          {manages ? null : <p className="font-bold">Only owners and admins can create and change roles.</p>}
          {permissions.isError ? (
            <ErrorState error={permissions.error} what="the permissions" onRetry={() => void permissions.refetch()} />
          ) : null}
          {creating && permissions.data ? (
            <RoleForm
              builtIn={builtIn}
              permissions={permissions.data}
              onSaved={(role) => {
                setCreating(false);
                showToast(`Created the role ${role.name}.`, 'success');
              }}
              onCancel={() => setCreating(false)}
            />
          ) : null}
          {roles.data.data.length === 0 && !creating ? (
            <EmptyState title="No custom roles yet">
              {manages
                ? 'Create one to give someone less than a built-in role: a member who only triages tasks, say.'
                : 'An owner or admin can create one.'}
            </EmptyState>
          ) : null}
          <ul className="flex flex-col gap-3">
            {roles.data.data.map((role) =>
              editingId === role.id && permissions.data ? (
                <li key={role.id}>
                  <RoleForm
                    role={role}
                    builtIn={builtIn}
                    permissions={permissions.data}
                    onSaved={(saved) => {
                      setEditingId(null);
                      showToast(`Saved the role ${saved.name}.`, 'success');
                    }}
                    onCancel={() => setEditingId(null)}
                  />
                </li>
              ) : (
                <CustomRoleCard
                  key={role.id}
                  role={role}
                  permissions={permissions.data}
                  manages={manages}
                  canEdit={formReady}
                  onEdit={() => {
                    setCreating(false);
                    setEditingId(role.id);
                  }}
                  onDelete={() => setDeletingId(role.id)}
                />
              ),
            )}
          </ul>
        </section>
      ) : null}
      {deleting ? <DeleteRoleDialog role={deleting} onClose={() => setDeletingId(null)} /> : null}
    </div>
  );
}

function BuiltInRoles({ roles }: { roles: readonly BuiltInRole[] }) {
  return (
    <section className="flex flex-col gap-3" aria-labelledby="built-in-roles-title">
      <h2 id="built-in-roles-title" className="text-xl font-black uppercase">
        Built-in roles
      </h2>
      <ul className="grid gap-2 sm:grid-cols-2">
        {roles.map((role) => (
          <li key={role.name} className="border-[3px] border-ink p-3" data-testid="built-in-role">
            <p className="font-black uppercase">{builtInRoleLabel(role.name)}</p>
            <p className="text-sm">{role.description}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CustomRoleCard({
  role,
  permissions,
  manages,
  canEdit,
  onEdit,
  onDelete,
}: {
  role: CustomRole;
  permissions: readonly Permission[] | undefined;
  manages: boolean;
  canEdit: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const described = new Map(permissions?.map((permission) => [permission.name, permission.description]));
  return (
    <li className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" data-testid="custom-role">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="text-lg font-black break-words">{role.name}</h3>
          <p className="font-mono text-xs font-bold uppercase">narrows {role.baseRole}</p>
        </div>
        {manages ? (
          <div className="flex flex-wrap gap-2">
            <button type="button" className="brutal-button" aria-label={`Edit ${role.name}`} disabled={!canEdit} onClick={onEdit}>
              Edit
            </button>
            <button type="button" className="brutal-button" data-variant="danger" aria-label={`Delete ${role.name}`} onClick={onDelete}>
              Delete
            </button>
          </div>
        ) : null}
      </div>
      {role.description ? <p className="break-words">{role.description}</p> : null}
      <p className="text-sm font-bold" data-testid="custom-role-counts">
        {role.memberCount === 0
          ? 'Nobody holds it'
          : `${plural(role.memberCount, 'member')} ${role.memberCount === 1 ? 'holds' : 'hold'} it`}{' '}
        · {plural(role.permissions.length, 'permission')}
      </p>
      <ul className="flex flex-wrap gap-1" aria-label={`Permissions of ${role.name}`}>
        {role.permissions.map((permission) => (
          <li
            key={permission}
            className="border-2 border-ink bg-paper-alt px-1 font-mono text-xs break-all"
            title={described.get(permission) ?? permission}
          >
            {permission}
          </li>
        ))}
      </ul>
    </li>
  );
}

/** Asks before deleting; a role members still hold cannot go, and the dialog says what to do instead. */
function DeleteRoleDialog({ role, onClose }: { role: CustomRole; onClose: () => void }) {
  const remove = useDeleteRole();
  const [error, setError] = useState<string | null>(null);
  const held = role.memberCount > 0;
  const confirm = async () => {
    setError(null);
    try {
      await remove.mutateAsync(role.id);
      showToast(`Deleted the role ${role.name}.`, 'success');
      onClose();
    } catch (failure) {
      setError(describeDeleteFailure(failure, role.memberCount));
    }
  };
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())} title={`Delete the role ${role.name}?`}>
      <div className="flex flex-col gap-3">
        {error ? null : held ? (
          <p className="font-bold">{describeRoleInUse(role.memberCount)}</p>
        ) : (
          <p>Nobody holds it now. Deleting it cannot be undone; the audit log keeps a record.</p>
        )}
        {error ? (
          <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
            {error}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          {held || error ? (
            <Link to="/settings/members" className="brutal-button" data-variant="primary">
              Open members
            </Link>
          ) : null}
          {held ? null : (
            <button
              type="button"
              className="brutal-button"
              data-variant="danger"
              disabled={remove.isPending}
              onClick={() => void confirm()}
            >
              Delete {role.name}
            </button>
          )}
          <button type="button" className="brutal-button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </Dialog>
  );
}
