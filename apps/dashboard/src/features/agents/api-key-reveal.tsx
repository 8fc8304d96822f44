import type { CreatedApiKey } from '@mission-control/contracts';
import { useState } from 'react';

/** The secret, shown once, with a copy button and a snippet to paste into an agent's environment. */
export function ApiKeyReveal({ created, agentId }: { created: CreatedApiKey; agentId: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const origin = window.location.origin;
  const snippet = `export MISSION_URL=${origin}\nexport MISSION_API_KEY=${created.secret}\n\n# check the key\ncurl -s "$MISSION_URL/api/v1/auth/me" -H "Authorization: Bearer $MISSION_API_KEY"\n\n# heartbeat as this agent\ncurl -s -X POST "$MISSION_URL/api/v1/agents/${agentId}/heartbeat" -H "Authorization: Bearer $MISSION_API_KEY"`;
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what);
    } catch {
      setCopied('select and copy by hand');
    }
  };
  return (
    <div className="flex flex-col gap-3 border-[3px] border-ink bg-status-idle p-3 text-black" data-testid="api-key-reveal">
      <p className="font-black uppercase">Copy this key now: it is never shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="break-all border-2 border-black bg-white px-2 py-1 font-mono text-sm" data-testid="api-key-secret">
          {created.secret}
        </code>
        <button type="button" className="brutal-button" onClick={() => void copy(created.secret, 'key')}>
          Copy key
        </button>
      </div>
      <pre className="overflow-x-auto border-2 border-black bg-white p-2 font-mono text-xs">{snippet}</pre>
      <div className="flex items-center gap-2">
        <button type="button" className="brutal-button" onClick={() => void copy(snippet, 'snippet')}>
          Copy snippet
        </button>
        <output className="font-mono text-xs">{copied ? `Copied ${copied}` : ''}</output>
      </div>
    </div>
  );
}
