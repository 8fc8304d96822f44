import type { AcceptedInvitation, ReceivedInvitation } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { showToast } from '../../lib/toasts';
import { useSession } from '../auth/use-session';
import { useAnswerInvitation, useMyInvitations, useSwitchWorkspace } from './invitations-api';

/**
 * "Pending invitations": shown above every page while the signed-in person has invitations to
 * answer, and after accepting one, a way to switch to the workspace joined.
 */
export function PendingInvitations() {
  const invitations = useMyInvitations();
  const [joined, setJoined] = useState<AcceptedInvitation | null>(null);
  const pending = invitations.data?.data ?? [];
  if (pending.length === 0 && !joined) return null;
  return (
    <section
      aria-labelledby="pending-invitations-title"
      className="mb-4 border-[3px] border-ink bg-paper-alt p-3"
      data-testid="pending-invitations"
    >
      <h2 id="pending-invitations-title" className="text-sm font-black tracking-wide uppercase">
        Pending invitations
      </h2>
      {joined ? <SwitchWorkspace joined={joined} onDone={() => setJoined(null)} /> : null}
      <ul className="mt-2 flex flex-col gap-2">
        {pending.map((invitation) => (
          <InvitationRow key={invitation.id} invitation={invitation} onAccepted={setJoined} />
        ))}
      </ul>
    </section>
  );
}

function InvitationRow({ invitation, onAccepted }: { invitation: ReceivedInvitation; onAccepted: (joined: AcceptedInvitation) => void }) {
  const answer = useAnswerInvitation();
  const respond = async (verb: 'accept' | 'decline') => {
    try {
      const result = await answer.mutateAsync({ id: invitation.id, answer: verb });
      if ('invitation' in result) onAccepted(result);
      else showToast(`Declined the invitation to ${invitation.workspace.name}.`, 'success');
    } catch (failure) {
      showToast(describeError(failure), 'error');
    }
  };
  return (
    <li className="flex flex-wrap items-center gap-2">
      <span className="mr-auto">
        <span className="font-bold">{invitation.invitedBy.name}</span> invited you to{' '}
        <span className="font-bold">{invitation.workspace.name}</span> as <span className="uppercase">{invitation.role}</span>.
      </span>
      <button
        type="button"
        className="brutal-button"
        data-variant="primary"
        disabled={answer.isPending}
        onClick={() => void respond('accept')}
      >
        Accept
      </button>
      <button type="button" className="brutal-button" disabled={answer.isPending} onClick={() => void respond('decline')}>
        Decline
      </button>
    </li>
  );
}

/** A session works in one workspace: switching signs in again, to the one just joined. */
function SwitchWorkspace({ joined, onDone }: { joined: AcceptedInvitation; onDone: () => void }) {
  const session = useSession();
  const switchWorkspace = useSwitchWorkspace();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!session) return;
    setError(null);
    try {
      await switchWorkspace.mutateAsync({ email: session.user.email, password, workspaceId: joined.workspace.id });
      onDone();
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <form onSubmit={submit} className="mt-2 flex flex-wrap items-end gap-2" aria-label={`Switch to ${joined.workspace.name}`}>
      <p role="status" className="w-full">
        You joined <span className="font-bold">{joined.workspace.name}</span> as <span className="uppercase">{joined.role}</span>. Enter
        your password to switch to it.
      </p>
      <label className="sr-only" htmlFor="switch-password">
        Password
      </label>
      <input
        id="switch-password"
        type="password"
        autoComplete="current-password"
        required
        className="brutal-input max-w-xs"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <button type="submit" className="brutal-button" data-variant="primary" disabled={switchWorkspace.isPending}>
        Switch to {joined.workspace.name}
      </button>
      <button type="button" className="brutal-button" onClick={onDone}>
        Stay here
      </button>
      {error ? (
        <p role="alert" className="w-full border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {error}
        </p>
      ) : null}
    </form>
  );
}
