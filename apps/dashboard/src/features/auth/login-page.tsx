import { isMfaChallenge } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { describeError } from '../../lib/describe-error';
import { MfaSignInStep } from '../identity/mfa-sign-in-step';
import { SingleSignOnButtons, SingleSignOnExchange } from '../identity/single-sign-on';
import { usePageTitle } from '../layout/use-page-title';
import { safeNextPath } from './require-session';
import { useLogin, useSession } from './use-session';

export function LoginPage() {
  usePageTitle('Sign in');
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const [parameters] = useSearchParams();
  const next = safeNextPath(parameters.get('next'));
  const oidcCode = parameters.get('oidcCode');
  // The server sends a refused single sign-on back here with its reason.
  const ssoRefusal = parameters.get('ssoError') ? (parameters.get('ssoMessage') ?? 'Single sign-on did not work. Try again.') : null;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [challengeToken, setChallengeToken] = useState<string | null>(null);

  if (session) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await login(email, password);
      if (isMfaChallenge(answer)) {
        setChallengeToken(answer.challengeToken);
        return;
      }
      navigate(next, { replace: true });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="grid min-h-screen place-items-center bg-paper p-4">
      <div className="w-full max-w-md">
        <h1 className="mb-1 text-5xl leading-none font-black tracking-tighter uppercase">
          Mission
          <br />
          Control
        </h1>
        <p className="mb-6 border-b-[3px] border-ink pb-2 font-mono text-sm">Where agents work and humans steer.</p>
        {ssoRefusal && !oidcCode ? (
          <p role="alert" className="mb-4 border-2 border-ink bg-status-blocked p-2 font-bold text-black">
            Single sign-on did not sign you in: {ssoRefusal}
          </p>
        ) : null}
        {oidcCode ? <SingleSignOnExchange code={oidcCode} onSignedIn={() => navigate(next, { replace: true })} /> : null}
        {!oidcCode && !challengeToken ? <SingleSignOnButtons next={next} /> : null}
        {oidcCode ? null : challengeToken ? (
          <MfaSignInStep
            challengeToken={challengeToken}
            onSignedIn={() => navigate(next, { replace: true })}
            onCancel={() => {
              setChallengeToken(null);
              setPassword('');
            }}
          />
        ) : (
          <form
            onSubmit={submit}
            className="brutal-box flex flex-col gap-4 p-5 shadow-[8px_8px_0_0_var(--color-ink)]"
            aria-describedby={error ? 'login-error' : undefined}
          >
            <div>
              <label className="brutal-label" htmlFor="login-email">
                Email
              </label>
              <input
                id="login-email"
                name="email"
                type="email"
                autoComplete="username"
                required
                className="brutal-input"
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            </div>
            <div>
              <label className="brutal-label" htmlFor="login-password">
                Password
              </label>
              <input
                id="login-password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                className="brutal-input"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            </div>
            {error ? (
              <p id="login-error" role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
                {error}
              </p>
            ) : null}
            <button type="submit" className="brutal-button justify-center py-2 text-base" data-variant="primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
