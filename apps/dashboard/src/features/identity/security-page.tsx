import { ApiKeysPanel } from '../agents/api-keys-panel';
import { MfaSettingsPanel } from './mfa-settings-panel';

/** The signed-in person's own sign-in security, and the API keys that act as them. */
export default function SecurityPage() {
  return (
    <div className="flex max-w-2xl min-w-0 flex-col gap-6">
      <h1 className="text-3xl font-black tracking-tighter uppercase">Security</h1>
      <MfaSettingsPanel />
      <ApiKeysPanel owner={{ kind: 'me' }} heading="Your API keys">
        <p className="text-sm">
          Keys for your own scripts and tools. A key acts as you, with your role, in this workspace; agents’ keys are on each agent’s page.
        </p>
      </ApiKeysPanel>
    </div>
  );
}
