import type { ReceivedInvitation } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Skeleton } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime } from '../../lib/format';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { useAcceptInvitationLink, useInvitationLink } from './invitations-api';

/** Why a link no longer works, in the invited person's words. */
function describeClosedLink(error: unknown): { title: string; text: string } {
  const code = isMissionControlError(error) ? error.code : undefined;
  if (code === 'INVITATION_EXPIRED')
    return { title: 'This invitation has expired', text: 'Invitations last 7 days. Ask the person who invited you for a new link.' };
  if (code === 'INVITATION_REVOKED')
    return { title: 'This invitation was withdrawn', text: 'It was revoked or replaced by a newer one. Ask for a new link.' };
  if (code === 'INVITATION_ALREADY_USED')
    return { title: 'This invitation was already used', text: 'Each link works once. If it was you, sign in.' };
  if (code === 'INVITATION_NOT_FOUND')
    return { title: 'This link is not valid', text: 'Check that you copied it whole, or ask for a new one.' };
  return { title: 'Could not open the invitation', text: describeError(error) };
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <main className="grid min-h-screen place-items-center bg-paper p-4">
      <div className="w-full max-w-md">
        <h1 className="mb-1 text-5xl leading-none font-black tracking-tighter uppercase">
          Mission
          <br />
          Control
        </h1>
        <p className="mb-6 border-b-[3px] border-ink pb-2 font-mono text-sm">You are invited.</p>
        {children}
      </div>
    </main>
  );
}

/** `/invite/<token>`: a person opening an invitation link sees who invited them to what, and joins by choosing a name and password. */
export default function InvitePage() {
  usePageTitle('Invitation');
  const { token = '' } = useParams();
  const invitation = useInvitationLink(token);

  if (invitation.isPending) {
    return (
      <Frame>
        <Skeleton className="h-64" label="Loading the invitation" />
      </Frame>
    );
  }
  if (invitation.isError) {
    const closed = describeClosedLink(invitation.error);
    return (
      <Frame>
        <div role="alert" className="brutal-box p-5">
          <p className="text-xl font-black uppercase">{closed.title}</p>
          <p className="mt-2">{closed.text}</p>
          <Link to="/login" className="brutal-button mt-4">
            Sign in
          </Link>
        </div>
      </Frame>
    );
  }
  return (
    <Frame>
      <AcceptForm token={token} invitation={invitation.data} />
    </Frame>
  );
}

function AcceptForm({ token, invitation }: { token: string; invitation: ReceivedInvitation }) {
  const session = useSession();
  const accept = useAcceptInvitationLink(token);
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await accept.mutateAsync({ name, password });
      navigate('/', { replace: true });
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  return (
    <form
      onSubmit={submit}
      className="brutal-box flex flex-col gap-4 p-5 shadow-[8px_8px_0_0_var(--color-ink)]"
      aria-labelledby="invitation-title"
      aria-describedby={error ? 'invitation-error' : undefined}
    >
      <div data-testid="invitation-summary">
        <h2 id="invitation-title" className="text-2xl leading-tight font-black">
          Join {invitation.workspace.name}
        </h2>
        <p className="mt-1">
          {invitation.invitedBy.name} invited <span className="font-mono font-bold">{invitation.email}</span> as{' '}
          <span className="font-bold uppercase">{invitation.role}</span>.
        </p>
        <p className="mt-1 font-mono text-xs">Valid until {formatDateTime(invitation.expiresAt)}.</p>
      </div>
      {session && session.user.email !== invitation.email ? (
        <p className="border-2 border-ink bg-paper-alt p-2 text-sm">
          You are signed in as {session.user.email}. Accepting signs you in as {invitation.email} instead.
        </p>
      ) : null}
      <div>
        <label className="brutal-label" htmlFor="invitation-name">
          Your name
        </label>
        <input
          id="invitation-name"
          name="name"
          autoComplete="name"
          required
          maxLength={120}
          className="brutal-input"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <div>
        <label className="brutal-label" htmlFor="invitation-password">
          Choose a password
        </label>
        <input
          id="invitation-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          maxLength={256}
          className="brutal-input"
          aria-describedby="invitation-password-hint"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <p id="invitation-password-hint" className="mt-1 text-xs text-ink-muted">
          10 characters or more. If {invitation.email} already has an account, enter its password instead.
        </p>
      </div>
      {error ? (
        <p id="invitation-error" role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {error}
        </p>
      ) : null}
      <button type="submit" className="brutal-button justify-center py-2 text-base" data-variant="primary" disabled={accept.isPending}>
        {accept.isPending ? 'Joining…' : `Join ${invitation.workspace.name}`}
      </button>
    </form>
  );
}
