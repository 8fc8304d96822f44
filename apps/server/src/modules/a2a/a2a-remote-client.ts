// Talking to remote A2A agents: their cards and JSON-RPC endpoints, through the same address guard
// as webhooks (no private addresses unless allowed, DNS pinned to the checked address).
import { AgentCard } from '@a2a-js/sdk';
import { type Client, ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { AppError } from '../../http/app-error.js';
import { postGuarded, type TargetPolicy, TargetRefused } from '../integrations/outbound/guarded-http.js';

/** A card or an answer bigger than this is not one we read. */
const maxAnswerBytes = 1_048_576;
const requestTimeoutMs = 15_000;

/** A fetch for the A2A SDK that goes through the address guard (one request, body read in full). */
function guardedFetch(policy: TargetPolicy, apiKey: string | null): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const method = (init?.method ?? 'GET').toUpperCase();
    const answer = await postGuarded(url, policy, {
      method: method === 'POST' ? 'POST' : 'GET',
      headers,
      body: typeof init?.body === 'string' ? init.body : '',
      timeoutMs: requestTimeoutMs,
      excerptBytes: maxAnswerBytes,
    });
    return new Response(answer.responseExcerpt, { status: answer.statusCode, headers: { 'content-type': 'application/json' } });
  };
}

/** A remote agent's card as read, and the JSON-RPC endpoint it names. */
export interface RemoteCard {
  card: AgentCard;
  endpointUrl: string;
}

/** Reads an agent card, answering 422 A2A_CARD_UNREADABLE (or 400 for a refused address) with why. */
export async function readRemoteCard(cardUrl: string, policy: TargetPolicy, apiKey: string | null): Promise<RemoteCard> {
  let text: string;
  try {
    const response = await guardedFetch(policy, apiKey)(cardUrl, { headers: { 'a2a-version': '1.0', accept: 'application/json' } });
    if (response.status !== 200)
      throw new AppError(
        'A2A_CARD_UNREADABLE',
        `The card at ${cardUrl} answered HTTP ${response.status}. Check the URL (it ends in /.well-known/agent-card.json).`,
      );
    text = await response.text();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof TargetRefused) throw new AppError('WEBHOOK_TARGET_REFUSED', error.message);
    throw new AppError(
      'A2A_CARD_UNREADABLE',
      `The card at ${cardUrl} could not be read (${error instanceof Error ? error.message : 'no answer'}).`,
    );
  }
  let card: AgentCard;
  try {
    card = AgentCard.fromJSON(JSON.parse(text));
  } catch {
    throw new AppError('A2A_CARD_UNREADABLE', `What ${cardUrl} answered is not an agent card (JSON).`);
  }
  const jsonRpc = card.supportedInterfaces.find(
    (entry) => entry.protocolBinding === 'JSONRPC' && (entry.protocolVersion || '1.0').startsWith('1.'),
  );
  if (!card.name || !jsonRpc?.url) {
    throw new AppError(
      'A2A_CARD_UNREADABLE',
      `The card at ${cardUrl} names no A2A 1.0 JSON-RPC endpoint; Mission Control speaks A2A 1.0 over JSON-RPC.`,
    );
  }
  return { card, endpointUrl: jsonRpc.url };
}

/** An A2A SDK client for a stored card, sending through the guard with the agent's key. */
export async function clientForRemote(cardJson: unknown, policy: TargetPolicy, apiKey: string | null): Promise<Client> {
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl: guardedFetch(policy, apiKey) })],
    }),
  );
  return factory.createFromAgentCard(AgentCard.fromJSON(cardJson));
}

/** A name an agent of ours can have (@mentions work) from whatever a card calls itself. */
export function agentNameFromCard(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|-+$/g, '')
    .slice(0, 64);
  return cleaned || 'remote-agent';
}

/** Capabilities (lowercase words) from a card's skills: their ids (their tags for a skill without one). */
export function capabilitiesFromCard(card: AgentCard): string[] {
  const words = card.skills.flatMap((skill) => (skill.id ? [skill.id] : skill.tags));
  const capabilities = words
    .map((word) =>
      word
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^[^a-z0-9]+|-+$/g, '')
        .slice(0, 64),
    )
    .filter((word) => word !== '');
  return [...new Set(capabilities)].slice(0, 50);
}
