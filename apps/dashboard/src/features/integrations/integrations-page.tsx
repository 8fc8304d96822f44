import { usePageTitle } from '../layout/use-page-title';
import { ChannelsPanel } from './channels-panel';
import { GithubPanel } from './github-panel';
import { InboundHooksPanel } from './inbound-hooks-panel';
import { WebhooksPanel } from './webhooks-panel';

/** Settings → Integrations: everything that connects the workspace to the rest of a team's tools. */
export default function IntegrationsPage() {
  usePageTitle('Integrations');
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <h1 className="text-3xl font-black tracking-tighter uppercase">Integrations</h1>
      <WebhooksPanel />
      <ChannelsPanel />
      <GithubPanel />
      <InboundHooksPanel />
    </div>
  );
}
