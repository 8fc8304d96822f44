import { type FormEvent, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { useVerifyMfa } from '../auth/use-session';

/** The second step of signing in with MFA on: a code from the app, or one recovery code. */
export function MfaSignInStep({
  challengeToken,
  onSignedIn,
  onCancel,
}: {
  challengeToken: string;
  onSignedIn: () => void;
  onCancel: () => void;
}) {
  const verify = useVerifyMfa();
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await verify(useRecovery ? { challengeToken, recoveryCode: value } : { challengeToken, code: value.replace(/\s/g, '') });
      onSignedIn();
    } catch (failure) {
      setError(describeError(failure));
      setValue('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={submit}
      className="brutal-box flex flex-col gap-4 p-5 shadow-[8px_8px_0_0_var(--color-ink)]"
      aria-describedby={error ? 'mfa-error' : undefined}
    >
      <p className="font-bold">
        {useRecovery ? 'Enter one of your recovery codes.' : 'Enter the six-digit code from your authenticator app.'}
      </p>
      <div>
        <label className="brutal-label" htmlFor="mfa-code">
          {useRecovery ? 'Recovery code' : 'Code'}
        </label>
        <input
          id="mfa-code"
          name={useRecovery ? 'recoveryCode' : 'code'}
          autoComplete="one-time-code"
          inputMode={useRecovery ? 'text' : 'numeric'}
          required
          className="brutal-input font-mono"
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
      </div>
      {error ? (
        <p id="mfa-error" role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {error}
        </p>
      ) : null}
      <button type="submit" className="brutal-button justify-center py-2 text-base" data-variant="primary" disabled={busy}>
        {busy ? 'Checking…' : 'Verify'}
      </button>
      <div className="flex justify-between gap-2 text-sm">
        <button
          type="button"
          className="underline"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setValue('');
            setError(null);
          }}
        >
          {useRecovery ? 'Use the authenticator app' : 'Use a recovery code'}
        </button>
        <button type="button" className="underline" onClick={onCancel}>
          Start over
        </button>
      </div>
    </form>
  );
}
