import type { TotpEnrolment } from '@mission-control/contracts';
import QRCode from 'qrcode';
import { type FormEvent, useEffect, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { useBeginTotp, useConfirmTotp, useDisableTotp, useMfaStatus } from './identity-api';

/** The QR code of an otpauth:// URI, drawn in the browser (the secret never leaves it). */
function OtpauthQrCode({ uri }: { uri: string }) {
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void QRCode.toDataURL(uri, { margin: 1, width: 200 }).then((url) => {
      if (current) setSource(url);
    });
    return () => {
      current = false;
    };
  }, [uri]);
  return source ? <img src={source} alt="QR code to scan with your authenticator app" width={200} height={200} /> : null;
}

/**
 * Two-factor sign-in for the signed-in person: turn on an authenticator app (scan, confirm with
 * a code, keep the recovery codes), see how many codes are left, turn it off with a code.
 * A panel the Settings page can mount; the /security page shows it on its own.
 */
export function MfaSettingsPanel() {
  const status = useMfaStatus();
  const begin = useBeginTotp();
  const confirm = useConfirmTotp();
  const disable = useDisableTotp();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  const submitConfirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await confirm.mutateAsync(code.trim());
      setRecoveryCodes(answer.recoveryCodes);
      setEnrolment(null);
      setCode('');
    });
  };
  const submitDisable = (event: FormEvent) => {
    event.preventDefault();
    const value = code.trim();
    void run(async () => {
      await disable.mutateAsync(/^\d{6}$/.test(value) ? { code: value } : { recoveryCode: value });
      setCode('');
    });
  };

  return (
    <section className="brutal-box flex flex-col gap-4 p-5" aria-labelledby="mfa-heading">
      <h2 id="mfa-heading" className="text-xl font-black uppercase">
        Two-factor sign-in
      </h2>
      {status.isPending ? <p>Loading…</p> : null}
      {status.data?.totpEnabled ? (
        <>
          <p>On: sign-in asks for a code from your authenticator app. {status.data.recoveryCodesRemaining} recovery codes left.</p>
          {recoveryCodes ? (
            <div>
              <p className="font-bold">Your recovery codes. Store them now: they are never shown again.</p>
              <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-1 font-mono">
                {recoveryCodes.map((recoveryCode) => (
                  <li key={recoveryCode}>{recoveryCode}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <form onSubmit={submitDisable} className="flex flex-col gap-2">
            <label className="brutal-label" htmlFor="mfa-disable-code">
              Code or recovery code to turn it off
            </label>
            <input
              id="mfa-disable-code"
              className="brutal-input font-mono"
              value={code}
              onChange={(event) => setCode(event.target.value)}
              required
            />
            <button type="submit" className="brutal-button" disabled={disable.isPending}>
              Turn off
            </button>
          </form>
        </>
      ) : null}
      {status.data && !status.data.totpEnabled && !enrolment ? (
        <>
          <p>Off: sign-in asks for your password only.</p>
          <button
            type="button"
            className="brutal-button"
            data-variant="primary"
            disabled={begin.isPending}
            onClick={() => void run(async () => setEnrolment(await begin.mutateAsync()))}
          >
            Set up an authenticator app
          </button>
        </>
      ) : null}
      {enrolment ? (
        <form onSubmit={submitConfirm} className="flex flex-col gap-3">
          <p>Scan this with your authenticator app, then enter the code it shows.</p>
          <OtpauthQrCode uri={enrolment.otpauthUri} />
          <p className="font-mono text-sm break-all">
            Or type the key: <span data-testid="totp-secret">{enrolment.secret}</span>
          </p>
          <label className="brutal-label" htmlFor="mfa-confirm-code">
            Code
          </label>
          <input
            id="mfa-confirm-code"
            className="brutal-input font-mono"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            required
          />
          <button type="submit" className="brutal-button" data-variant="primary" disabled={confirm.isPending}>
            Turn on
          </button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {error}
        </p>
      ) : null}
    </section>
  );
}
