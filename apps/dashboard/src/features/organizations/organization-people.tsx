import { type OrganizationMember, type OrganizationRole, organizationRoleSchema } from '@mission-control/contracts';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { describeMemberRoleFailure, organizationRoleExplanations, organizationRoleLabel } from './organization-wording';
import { useOrganizationMembers, useUpdateOrganizationMember } from './organizations-api';

/**
 * The people of an organisation (everyone in one of its workspaces) with their organisation role
 * and whether they have a second factor. Owners change roles with a picker that applies at once.
 */
export function OrganizationPeople({
  organizationId,
  yourUserId,
  editable,
}: {
  organizationId: string;
  yourUserId: string | undefined;
  editable: boolean;
}) {
  const members = useOrganizationMembers(organizationId);
  const now = useNow();
  return (
    <section className="flex min-w-0 flex-col gap-3" aria-labelledby="organization-people-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="organization-people-title" className="text-xl font-black uppercase">
          People
        </h2>
        {members.data ? <p className="font-mono text-sm">{plural(members.data.length, 'person', 'people')}</p> : null}
      </div>
      <p className="text-sm">
        Everyone who is a member of one of its workspaces. {editable ? 'A new organisation role applies as soon as you pick it.' : ''}
      </p>
      <ul className="flex flex-col gap-1 text-sm" aria-label="What organisation roles may do">
        {organizationRoleSchema.options.map((role) => (
          <li key={role}>
            <span className="font-bold">{organizationRoleLabel(role)}:</span> {organizationRoleExplanations[role]}
          </li>
        ))}
      </ul>
      {editable ? null : <p className="font-bold">Only owners of the organisation can change organisation roles.</p>}
      {members.isPending ? <SkeletonList rows={2} className="h-16" /> : null}
      {members.isError ? (
        <ErrorState error={members.error} what="the organisation’s people" onRetry={() => void members.refetch()} />
      ) : null}
      {members.data?.length === 0 ? <EmptyState title="Nobody yet" /> : null}
      <ul className="flex flex-col gap-2">
        {members.data?.map((member) => (
          <PersonRow
            key={member.userId}
            organizationId={organizationId}
            member={member}
            isYou={member.userId === yourUserId}
            editable={editable}
            now={now}
          />
        ))}
      </ul>
    </section>
  );
}

function PersonRow({
  organizationId,
  member,
  isYou,
  editable,
  now,
}: {
  organizationId: string;
  member: OrganizationMember;
  isYou: boolean;
  editable: boolean;
  now: number;
}) {
  const update = useUpdateOrganizationMember(organizationId);
  const choose = (role: OrganizationRole) => {
    if (role === member.role) return;
    update.mutate(
      { userId: member.userId, role },
      {
        onSuccess: (updated) =>
          showToast(`${updated.name} is now ${organizationRoleLabel(updated.role).toLowerCase()} of the organisation.`, 'success'),
        onError: (error) => showToast(describeMemberRoleFailure(error, member.name), 'error'),
      },
    );
  };
  return (
    <li
      className="grid min-w-0 gap-3 border-[3px] border-ink p-3 md:grid-cols-[minmax(0,1fr)_minmax(0,14rem)] md:items-center"
      data-testid="organization-person"
    >
      <div className="flex min-w-0 flex-col gap-0.5">
        <p className="flex flex-wrap items-center gap-2 font-black break-words">
          {member.name}
          {isYou ? <span className="border-2 border-ink bg-paper-alt px-1 font-mono text-xs font-bold uppercase">you</span> : null}
        </p>
        <p className="font-mono text-sm break-all">{member.email}</p>
        <p className="text-sm">
          <span className={member.mfaEnrolled ? '' : 'font-bold'}>
            {member.mfaEnrolled ? 'Has a second factor' : 'No second factor yet'}
          </span>{' '}
          · joined{' '}
          <time dateTime={member.joinedAt} title={formatDateTime(member.joinedAt)}>
            {relativeTime(member.joinedAt, now, 'long')}
          </time>
        </p>
      </div>
      <div className="min-w-0">
        {editable ? (
          <>
            <label className="brutal-label" htmlFor={`organization-${member.userId}-role`}>
              Organisation role<span className="sr-only"> of {member.name}</span>
            </label>
            <select
              id={`organization-${member.userId}-role`}
              className="brutal-input w-full"
              value={member.role}
              disabled={update.isPending}
              onChange={(event) => choose(organizationRoleSchema.parse(event.target.value))}
            >
              {organizationRoleSchema.options.map((role) => (
                <option key={role} value={role}>
                  {organizationRoleLabel(role)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <p>
            <span className="brutal-label">Organisation role</span>
            <span className="font-bold">{organizationRoleLabel(member.role)}</span>
          </p>
        )}
      </div>
    </li>
  );
}
