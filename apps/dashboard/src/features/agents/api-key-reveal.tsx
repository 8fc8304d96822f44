import type { CreatedApiKey } from '@mission-control/contracts';
import { type ReactNode, useState } from 'react';

export interface ConnectSnippet {
  id: string;
  title: string;
  hint: string;
  text: string;
}

/**
 * Ready-to-paste ways to use a new key: Claude Code over MCP, the mission CLI, and plain curl. An
 * agent's key gets a heartbeat in the curl snippet; a personal key (no agentId) acts as its owner.
 */
export function listConnectSnippets(
  origin: string,
  secret: string,
  agentId?: string,
  options: { signed?: boolean } = {},
): ConnectSnippet[] {
  const who = agentId ? 'this agent' : 'you';
  const check = `export MISSION_URL=${origin}\nexport MISSION_API_KEY=${secret}\n\n# check the key\ncurl -s "$MISSION_URL/api/v1/auth/me" -H "Authorization: Bearer $MISSION_API_KEY"`;
  // A key that needs signed requests is refused with a bare Authorization header: only the SDK and the CLI sign.
  const unsigned = (tool: string, instead: string) =>
    options.signed ? ` This key needs signed requests, which ${tool} does not make: ${instead}.` : '';
  return [
    {
      id: 'claude-code',
      title: 'Claude Code',
      hint: `Adds this server as an MCP server; Claude Code then sees the Mission Control tools.${unsigned('Claude Code', 'run mission mcp after mission login instead')}`,
      text: `claude mcp add --transport http mission-control ${origin}/mcp \\\n  --header "Authorization: Bearer ${secret}"`,
    },
    {
      id: 'cli',
      title: 'mission CLI',
      hint: `Stores the login, so later mission commands (and mission mcp) act as ${who}.`,
      text: `mission login --url ${origin} --api-key ${secret}\nmission whoami`,
    },
    {
      id: 'curl',
      title: 'curl',
      hint: `${agentId ? 'Checks the key, then sends a heartbeat so the agent shows as connected.' : 'Checks the key: the answer says who it acts as.'}${unsigned('plain curl', 'the server refuses these calls')}`,
      text: agentId
        ? `${check}\n\n# heartbeat as this agent\ncurl -s -X POST "$MISSION_URL/api/v1/agents/${agentId}/heartbeat" -H "Authorization: Bearer $MISSION_API_KEY"`
        : check,
    },
  ];
}

/**
 * The secret, shown once, with a copy button and snippets to connect with it: an agent's key
 * (agentId given) or a personal one. `children` go above the snippets (what a rotation did to the old key).
 */
export function ApiKeyReveal({ created, agentId, children }: { created: CreatedApiKey; agentId?: string; children?: ReactNode }) {
  const [copied, setCopied] = useState<string | null>(null);
  const snippets = listConnectSnippets(window.location.origin, created.secret, agentId, { signed: created.apiKey.requireSignature });
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`Copied ${what}`);
    } catch {
      setCopied('Copying was refused: select the text and copy it by hand');
    }
  };
  return (
    <div className="flex min-w-0 flex-col gap-3 border-[3px] border-ink bg-status-idle p-3 text-black" data-testid="api-key-reveal">
      <p className="font-black uppercase">Copy this key now: it is never shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="break-all border-2 border-black bg-white px-2 py-1 font-mono text-sm" data-testid="api-key-secret">
          {created.secret}
        </code>
        <button type="button" className="brutal-button" onClick={() => void copy(created.secret, 'the key')}>
          Copy key
        </button>
      </div>
      {children}
      <p className="font-bold">{agentId ? 'Connect the agent with one of these:' : 'Use it with one of these:'}</p>
      {snippets.map((snippet) => (
        <section key={snippet.id} aria-label={snippet.title} className="flex min-w-0 flex-col gap-1">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 className="font-black">{snippet.title}</h3>
            <button type="button" className="brutal-button" onClick={() => void copy(snippet.text, `the ${snippet.title} snippet`)}>
              Copy {snippet.title} snippet
            </button>
          </div>
          <p className="text-sm">{snippet.hint}</p>
          {/* Wrapped, not scrolled: a scrolling block is out of reach of the keyboard, and a phone shows the whole command. */}
          <pre className="border-2 border-black bg-white p-2 font-mono text-xs break-all whitespace-pre-wrap">{snippet.text}</pre>
        </section>
      ))}
      <output className="font-mono text-xs">{copied ?? ''}</output>
    </div>
  );
}
