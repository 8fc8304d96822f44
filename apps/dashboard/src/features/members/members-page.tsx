import { type CustomRole, type Member, type WorkspaceRole, workspaceRoleSchema } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { InvitePeople } from '../invitations/invite-people';
import { usePageTitle } from '../layout/use-page-title';
import { useMembers } from '../people/people-api';
import { builtInRoleLabel, customRoleLabel } from '../roles/role-wording';
import { useRoles } from '../roles/roles-api';
import { describeMemberFailure, memberRoleLabel } from './member-wording';
import { canManageMembers, type UpdateMemberBody, useRemoveMember, useUpdateMember } from './members-api';

const customPrefix = 'custom:';

/** The picker's value for a member's role: a built-in role's name, or custom:<id>. */
function pickerValue(member: Member): string {
  return member.customRole ? `${customPrefix}${member.customRole.id}` : member.role;
}

/** What choosing a value in the picker asks the server for. */
function changeFor(value: string): UpdateMemberBody {
  if (value.startsWith(customPrefix)) return { customRoleId: value.slice(customPrefix.length) };
  return { role: workspaceRoleSchema.parse(value) };
}

/**
 * Settings → Members: each person with their role and when they joined. Owners and admins give
 * roles (built-in or custom) with a picker that applies at once, remove people after a
 * confirmation, and invite new ones; everyone else reads the list.
 */
export default function MembersPage() {
  usePageTitle('Members');
  const session = useSession();
  const members = useMembers();
  const now = useNow();
  // The list's copy of one's own role is fresher than the session's (someone may have changed it since sign-in).
  const myRole = members.data?.find((member) => member.user.id === session?.user.id)?.role ?? session?.role;
  const manages = canManageMembers(myRole);
  // Only the picker needs the custom roles; everyone else reads the role's name on the member.
  const roles = useRoles(manages);
  const [removing, setRemoving] = useState<Member | null>(null);

  return (
    <div className="mx-auto flex max-w-5xl min-w-0 flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-black tracking-tighter uppercase">Members</h1>
        <Link to="/settings/roles" className="brutal-button">
          Roles
        </Link>
      </div>
      <section className="flex min-w-0 flex-col gap-3" aria-labelledby="members-title">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="members-title" className="text-xl font-black uppercase">
            People
          </h2>
          {members.data ? <p className="font-mono text-sm">{plural(members.data.length, 'member')}</p> : null}
        </div>
        {manages ? (
          <p className="text-sm">
            A new role applies as soon as you pick it. What each role may do is on the{' '}
            <Link to="/settings/roles" className="font-bold underline">
              roles page
            </Link>
            .
          </p>
        ) : (
          <p className="font-bold">Only owners and admins can change roles and remove people.</p>
        )}
        {members.isPending ? <SkeletonList rows={3} className="h-20" /> : null}
        {members.isError ? <ErrorState error={members.error} what="the members" onRetry={() => void members.refetch()} /> : null}
        {members.data?.length === 0 ? <EmptyState title="No members" /> : null}
        <ul className="flex flex-col gap-2">
          {members.data?.map((member) => (
            <MemberRow
              key={member.user.id}
              member={member}
              isYou={member.user.id === session?.user.id}
              myRole={myRole}
              manages={manages}
              customRoles={roles.data?.data}
              now={now}
              onRemove={() => setRemoving(member)}
            />
          ))}
        </ul>
      </section>
      {manages ? <InvitePeople /> : null}
      {removing ? <RemoveMemberDialog member={removing} onClose={() => setRemoving(null)} /> : null}
    </div>
  );
}

function MemberRow({
  member,
  isYou,
  myRole,
  manages,
  customRoles,
  now,
  onRemove,
}: {
  member: Member;
  isYou: boolean;
  myRole: WorkspaceRole | undefined;
  manages: boolean;
  customRoles: CustomRole[] | undefined;
  now: number;
  onRemove: () => void;
}) {
  const update = useUpdateMember();
  const name = member.user.name;
  // Only an owner makes owners or touches an owner's role; the server says so too (403), the picker says it first.
  const ownerOnly = member.role === 'owner' && myRole !== 'owner';
  const hintId = `member-${member.user.id}-hint`;

  const choose = (value: string) => {
    if (value === pickerValue(member)) return;
    update.mutate(
      { userId: member.user.id, body: changeFor(value) },
      {
        onSuccess: (updated) => showToast(`${name} is now ${memberRoleLabel(updated)}.`, 'success'),
        onError: (error) => showToast(describeMemberFailure(error, 'change', name), 'error'),
      },
    );
  };

  return (
    <li
      className="grid min-w-0 gap-3 border-[3px] border-ink p-3 md:grid-cols-[minmax(0,1fr)_minmax(0,18rem)_auto] md:items-center"
      data-testid="member-row"
    >
      <div className="flex min-w-0 flex-col gap-0.5">
        <p className="flex flex-wrap items-center gap-2 font-black break-words">
          {name}
          {isYou ? <span className="border-2 border-ink bg-paper-alt px-1 font-mono text-xs font-bold uppercase">you</span> : null}
        </p>
        <p className="font-mono text-sm break-all">{member.user.email}</p>
        <p className="text-sm">
          Joined{' '}
          <time dateTime={member.joinedAt} title={formatDateTime(member.joinedAt)}>
            {relativeTime(member.joinedAt, now, 'long')}
          </time>
        </p>
      </div>
      <div className="min-w-0">
        {manages ? (
          <>
            <label className="brutal-label" htmlFor={`member-${member.user.id}-role`}>
              Role<span className="sr-only"> of {name}</span>
            </label>
            <select
              id={`member-${member.user.id}-role`}
              className="brutal-input"
              aria-describedby={ownerOnly ? hintId : undefined}
              value={pickerValue(member)}
              disabled={ownerOnly || update.isPending}
              onChange={(event) => choose(event.target.value)}
            >
              <optgroup label="Built-in roles">
                {workspaceRoleSchema.options.map((role) => (
                  <option key={role} value={role} disabled={role === 'owner' && myRole !== 'owner'}>
                    {builtInRoleLabel(role)}
                  </option>
                ))}
              </optgroup>
              <CustomRoleOptions member={member} customRoles={customRoles} />
            </select>
            {ownerOnly ? (
              <p id={hintId} className="mt-1 text-xs">
                Only an owner can change an owner’s role.
              </p>
            ) : null}
          </>
        ) : (
          <p>
            <span className="brutal-label">Role</span>
            <span className="font-bold" data-testid="member-role">
              {memberRoleLabel(member)}
            </span>
          </p>
        )}
      </div>
      <div className="flex flex-wrap gap-2 md:justify-end">
        {manages && !isYou && !ownerOnly ? (
          <button type="button" className="brutal-button" data-variant="danger" aria-label={`Remove ${name}`} onClick={onRemove}>
            Remove
          </button>
        ) : null}
      </div>
    </li>
  );
}

/** The workspace's custom roles, and the member's own while the roles load (or when it is gone from the list). */
function CustomRoleOptions({ member, customRoles }: { member: Member; customRoles: CustomRole[] | undefined }) {
  const options = (customRoles ?? []).map((role) => ({ id: role.id, label: customRoleLabel(role, role.baseRole) }));
  if (member.customRole && !options.some((option) => option.id === member.customRole?.id)) {
    options.push({ id: member.customRole.id, label: customRoleLabel(member.customRole, member.role) });
  }
  if (options.length === 0) return null;
  return (
    <optgroup label="Custom roles">
      {options.map((option) => (
        <option key={option.id} value={`${customPrefix}${option.id}`}>
          {option.label}
        </option>
      ))}
    </optgroup>
  );
}

function RemoveMemberDialog({ member, onClose }: { member: Member; onClose: () => void }) {
  const remove = useRemoveMember();
  const [error, setError] = useState<string | null>(null);
  const name = member.user.name;
  const confirm = async () => {
    setError(null);
    try {
      await remove.mutateAsync(member.user.id);
      showToast(`Removed ${name} from the workspace.`, 'success');
      onClose();
    } catch (failure) {
      setError(describeMemberFailure(failure, 'remove', name));
    }
  };
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())} title={`Remove ${name}?`}>
      <div className="flex flex-col gap-3">
        <p>
          {name} ({member.user.email}) leaves the workspace now: their sessions here end at once. Their account, and what they did here,
          stay. To bring them back, invite them again.
        </p>
        {error ? (
          <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
            {error}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <button type="button" className="brutal-button" data-variant="danger" disabled={remove.isPending} onClick={() => void confirm()}>
            Remove {name}
          </button>
          <button type="button" className="brutal-button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </Dialog>
  );
}
