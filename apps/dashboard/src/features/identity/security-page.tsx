import { Link, useLocation } from 'react-router';
import { z } from 'zod';
import { ApiKeysPanel } from '../agents/api-keys-panel';
import { mfaEnrolmentMessage, useMfaEnrolmentRequired } from './mfa-enrolment';
import { MfaSettingsPanel } from './mfa-settings-panel';

/** Where the person was when the server asked for a second factor (MfaEnrolmentRedirect puts it in the history state). */
const cameFromSchema = z.object({ from: z.string().startsWith('/') });

/** The signed-in person's own sign-in security, and the API keys that act as them. */
export default function SecurityPage() {
  const required = useMfaEnrolmentRequired();
  const from = cameFromSchema.safeParse(useLocation().state).data?.from;
  return (
    <div className="flex max-w-2xl min-w-0 flex-col gap-6">
      <h1 className="text-3xl font-black tracking-tighter uppercase">Security</h1>
      {required ? (
        <p role="alert" className="border-[3px] border-ink bg-signal p-3 font-bold text-black" data-testid="mfa-enrolment-required">
          {mfaEnrolmentMessage}
        </p>
      ) : null}
      <MfaSettingsPanel />
      {/* Until a second factor is set up the server answers nothing else: the keys would only show that refusal. */}
      {required ? null : (
        <>
          {from && from !== '/security' ? (
            <Link to={from} className="brutal-button self-start" data-variant="primary">
              Continue where you were
            </Link>
          ) : null}
          <ApiKeysPanel owner={{ kind: 'me' }} heading="Your API keys">
            <p className="text-sm">
              Keys for your own scripts and tools. A key acts as you, with your role, in this workspace; agents’ keys are on each agent’s
              page.
            </p>
          </ApiKeysPanel>
        </>
      )}
    </div>
  );
}
