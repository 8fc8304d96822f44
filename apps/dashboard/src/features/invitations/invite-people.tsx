import {
  type CreatedInvitation,
  createInvitationSchema,
  type Invitation,
  type InvitationRole,
  invitationRoleSchema,
} from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { type FormEvent, useId, useState } from 'react';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { SecretReveal } from '../integrations/secret-reveal';
import { useCreateInvitation, useRevokeInvitation, useSentInvitations } from './invitations-api';

/** The link as the invited person opens it: the server answers /invite/<token> when it does not know its public URL. */
function absoluteUrl(acceptUrl: string): string {
  return new URL(acceptUrl, window.location.origin).toString();
}

/**
 * Inviting people, for owners and admins: an email and a built-in role make an invitation whose
 * link is shown once (the person opens it on /invite/<token>, or answers it from their own
 * dashboard when they have an account), and the invitations still waiting, each revocable.
 */
export function InvitePeople() {
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  return (
    <section className="flex min-w-0 flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby="invite-people-title">
      <h2 id="invite-people-title" className="text-xl font-black uppercase">
        Invite people
      </h2>
      <InviteForm onCreated={setCreated} />
      {created ? (
        <SecretReveal secret={absoluteUrl(created.acceptUrl)} label="invitation link" onDone={() => setCreated(null)}>
          <p>
            Hand this link to <span className="font-bold">{created.invitation.email}</span>: it works once, until{' '}
            {formatDateTime(created.invitation.expiresAt)}, and joins them as {created.invitation.role}. With an account here, they also
            find the invitation in their dashboard.
          </p>
        </SecretReveal>
      ) : null}
      <SentInvitations />
    </section>
  );
}

type Field = 'email' | 'form';

function InviteForm({ onCreated }: { onCreated: (created: CreatedInvitation) => void }) {
  const id = useId();
  const create = useCreateInvitation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InvitationRole>('member');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = createInvitationSchema.safeParse({ email: email.trim(), role });
    if (!parsed.success) {
      setErrors({ email: 'Enter an email address, such as nova@example.com.' });
      return;
    }
    setErrors({});
    try {
      onCreated(await create.mutateAsync(parsed.data));
      setEmail('');
    } catch (failure) {
      if (isMissionControlError(failure) && failure.code === 'MEMBER_ALREADY_EXISTS') {
        setErrors({ email: `${parsed.data.email} is already a member of this workspace.` });
      } else setErrors({ form: describeError(failure) });
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Invite someone" className="flex min-w-0 flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-[2_1_16rem]">
          <label className="brutal-label" htmlFor={`${id}-email`}>
            Email
          </label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="off"
            className="brutal-input"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={Boolean(errors.email)}
            aria-describedby={errors.email ? `${id}-email-error` : undefined}
          />
        </div>
        <div className="min-w-0 flex-[1_1_10rem]">
          <label className="brutal-label" htmlFor={`${id}-role`}>
            Role
          </label>
          <select
            id={`${id}-role`}
            className="brutal-input"
            value={role}
            aria-describedby={`${id}-role-hint`}
            onChange={(event) => setRole(invitationRoleSchema.parse(event.target.value))}
          >
            {invitationRoleSchema.options.map((option) => (
              <option key={option} value={option}>
                {option.charAt(0).toUpperCase() + option.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="brutal-button" data-variant="primary" disabled={create.isPending}>
          Send invitation
        </button>
      </div>
      {errors.email ? (
        <p id={`${id}-email-error`} className="font-mono text-xs font-bold text-danger">
          {errors.email}
        </p>
      ) : null}
      <p id={`${id}-role-hint`} className="text-sm">
        People join with a built-in role (an owner promotes someone to owner afterwards); give them a custom role here once they joined.
      </p>
      {errors.form ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {errors.form}
        </p>
      ) : null}
    </form>
  );
}

function SentInvitations() {
  const invitations = useSentInvitations();
  const now = useNow();
  if (invitations.isPending) return <SkeletonList rows={1} className="h-10" />;
  if (invitations.isError)
    return <ErrorState error={invitations.error} what="the invitations" onRetry={() => void invitations.refetch()} />;
  if (invitations.data.length === 0) return <p className="font-mono text-sm">No invitation is waiting for an answer.</p>;
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <h3 className="font-black uppercase">Waiting for an answer</h3>
      <ul className="flex flex-col gap-2">
        {invitations.data.map((invitation) => (
          <SentInvitation key={invitation.id} invitation={invitation} now={now} />
        ))}
      </ul>
    </div>
  );
}

function SentInvitation({ invitation, now }: { invitation: Invitation; now: number }) {
  const revoke = useRevokeInvitation();
  return (
    <li className="flex min-w-0 flex-wrap items-center justify-between gap-2 border-2 border-ink p-2" data-testid="sent-invitation">
      <p className="min-w-0">
        <span className="font-mono font-bold break-all">{invitation.email}</span> as {invitation.role}, expires{' '}
        <time dateTime={invitation.expiresAt} title={formatDateTime(invitation.expiresAt)}>
          {relativeTime(invitation.expiresAt, now, 'long')}
        </time>
      </p>
      <button
        type="button"
        className="brutal-button"
        aria-label={`Revoke the invitation of ${invitation.email}`}
        disabled={revoke.isPending}
        onClick={() =>
          revoke.mutate(invitation.id, {
            onSuccess: () => showToast(`Revoked the invitation of ${invitation.email}: its link no longer works.`, 'success'),
            onError: (error) => showToast(describeError(error), 'error'),
          })
        }
      >
        Revoke
      </button>
    </li>
  );
}
