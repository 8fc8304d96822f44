import {
  type Agent,
  type ApiKey,
  type CreatedApiKey,
  endpoints,
  type HeartbeatResponse,
  type RotatedApiKey,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { MissionControlError } from '../errors.js';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters and page size of `agents.list`: the query of `GET /api/v1/agents` without the cursor. */
export type ListAgentsOptions = Omit<z.input<typeof endpoints.listAgents.query>, 'cursor'>;

/** What `agents.heartbeat` takes: the agent's state, and which agent when the credential is a user's. */
export type HeartbeatOptions = z.input<typeof endpoints.sendHeartbeat.body> & {
  /** Defaults to the agent behind the API key. */
  agentId?: string;
};

/** Agents of the workspace, their API keys and heartbeats (`/agents`). */
export class AgentsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.agents`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists agents: `for await` over all of them, or `.page()` for one page. */
  list(options: ListAgentsOptions = {}): PageIterator<Agent> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listAgents, { query: { ...options, cursor } }));
  }

  /** Registers an agent. */
  create(input: z.input<typeof endpoints.createAgent.body>): Promise<Agent> {
    return this.context.transport.call(endpoints.createAgent, { body: input });
  }

  /** Fetches one agent by id. */
  get(agentId: string): Promise<Agent> {
    return this.context.transport.call(endpoints.getAgent, { params: { id: agentId } });
  }

  /** Changes some of an agent's fields. */
  update(agentId: string, input: z.input<typeof endpoints.updateAgent.body>): Promise<Agent> {
    return this.context.transport.call(endpoints.updateAgent, { params: { id: agentId }, body: input });
  }

  /** Replaces every editable field of an agent; fields left out take their registration defaults, the status is kept. */
  replace(agentId: string, input: z.input<typeof endpoints.replaceAgent.body>): Promise<Agent> {
    return this.context.transport.call(endpoints.replaceAgent, { params: { id: agentId }, body: input });
  }

  /** Deletes an agent and revokes its keys. */
  async delete(agentId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteAgent, { params: { id: agentId } });
  }

  /** Lists an agent's API keys (never their secrets). */
  async listApiKeys(agentId: string): Promise<ApiKey[]> {
    return (await this.context.transport.call(endpoints.listAgentApiKeys, { params: { id: agentId } })).data;
  }

  /** Creates an API key for an agent; the secret is in the answer once. */
  createApiKey(agentId: string, input: z.input<typeof endpoints.createAgentApiKey.body> = {}): Promise<CreatedApiKey> {
    return this.context.transport.call(endpoints.createAgentApiKey, { params: { id: agentId }, body: input });
  }

  /** Replaces an agent's key with a new one of the same settings; the old one works for `graceSeconds` (an hour by default). */
  rotateApiKey(agentId: string, keyId: string, input: z.input<typeof endpoints.rotateAgentApiKey.body> = {}): Promise<RotatedApiKey> {
    return this.context.transport.call(endpoints.rotateAgentApiKey, { params: { id: agentId, keyId }, body: input });
  }

  /** Revokes one of an agent's API keys. */
  revokeApiKey(agentId: string, keyId: string): Promise<ApiKey> {
    return this.context.transport.call(endpoints.revokeAgentApiKey, { params: { id: agentId, keyId } });
  }

  /** Says "I am alive": renews the agent's leases and answers what is waiting for it. */
  async heartbeat(options: HeartbeatOptions = {}): Promise<HeartbeatResponse> {
    const { agentId, ...body } = options;
    const id = agentId ?? (await this.currentAgentId());
    return this.context.transport.call(endpoints.sendHeartbeat, { params: { id }, body });
  }

  /** The id of the agent behind the API key; fails for user credentials. */
  async currentAgentId(): Promise<string> {
    const me = await this.context.whoAmI();
    if (me.kind !== 'agent') {
      throw new MissionControlError(
        'VALIDATION_FAILED',
        'This credential belongs to a user, not an agent: pass agentId, or use an agent API key.',
      );
    }
    return me.agent.id;
  }
}
