import { MfaSettingsPanel } from './mfa-settings-panel';

/** The signed-in person's own sign-in security. */
export default function SecurityPage() {
  return (
    <div className="flex max-w-2xl flex-col gap-6">
      <h1 className="text-3xl font-black tracking-tighter uppercase">Security</h1>
      <MfaSettingsPanel />
    </div>
  );
}
