import {
  type Agent,
  type AgentKind,
  type AgentStatus,
  type ApiKey,
  agentSchema,
  apiKeySchema,
  type CreatedApiKey,
  type createAgentSchema,
  type createApiKeySchema,
  createdApiKeySchema,
  type HeartbeatRequest,
  type HeartbeatResponse,
  heartbeatResponseSchema,
  pageSchema,
  type updateAgentSchema,
} from '@mission-control/contracts';
import { z } from 'zod';
import { MissionControlError } from '../errors.js';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters and page size of `agents.list`. */
export interface ListAgentsOptions {
  status?: AgentStatus;
  kind?: AgentKind;
  /** Items per page (1–200). */
  limit?: number;
}

/** What `agents.heartbeat` takes: the agent's state, and which agent when the credential is a user's. */
export interface HeartbeatOptions extends HeartbeatRequest {
  /** Defaults to the agent behind the API key. */
  agentId?: string;
}

const path = (id: string) => `/agents/${encodeURIComponent(id)}`;

/** Agents of the workspace, their API keys and heartbeats (`/agents`). */
export class AgentsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.agents`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists agents: `for await` over all of them, or `.page()` for one page. */
  list(options: ListAgentsOptions = {}): PageIterator<Agent> {
    return new PageIterator((cursor) =>
      this.context.transport.request({ method: 'GET', path: '/agents', query: { ...options, cursor }, schema: pageSchema(agentSchema) }),
    );
  }

  /** Registers an agent. */
  create(input: z.input<typeof createAgentSchema>): Promise<Agent> {
    return this.context.transport.request({ method: 'POST', path: '/agents', body: input, schema: agentSchema });
  }

  /** Fetches one agent by id. */
  get(agentId: string): Promise<Agent> {
    return this.context.transport.request({ method: 'GET', path: path(agentId), schema: agentSchema });
  }

  /** Changes an agent's fields. */
  update(agentId: string, input: z.input<typeof updateAgentSchema>): Promise<Agent> {
    return this.context.transport.request({ method: 'PATCH', path: path(agentId), body: input, schema: agentSchema });
  }

  /** Deletes an agent and revokes its keys. */
  async delete(agentId: string): Promise<void> {
    await this.context.transport.request({ method: 'DELETE', path: path(agentId), schema: z.undefined(), allowNoContent: true });
  }

  /** Lists an agent's API keys (never their secrets). */
  async listApiKeys(agentId: string): Promise<ApiKey[]> {
    const answer = await this.context.transport.request({
      method: 'GET',
      path: `${path(agentId)}/api-keys`,
      schema: z.object({ data: z.array(apiKeySchema) }),
    });
    return answer.data;
  }

  /** Creates an API key for an agent; the secret is in the answer once. */
  createApiKey(agentId: string, input: z.input<typeof createApiKeySchema> = {}): Promise<CreatedApiKey> {
    return this.context.transport.request({ method: 'POST', path: `${path(agentId)}/api-keys`, body: input, schema: createdApiKeySchema });
  }

  /** Revokes one of an agent's API keys. */
  revokeApiKey(agentId: string, keyId: string): Promise<ApiKey> {
    return this.context.transport.request({
      method: 'DELETE',
      path: `${path(agentId)}/api-keys/${encodeURIComponent(keyId)}`,
      schema: apiKeySchema,
    });
  }

  /** Says "I am alive": renews the agent's leases and answers what is waiting for it. */
  async heartbeat(options: HeartbeatOptions = {}): Promise<HeartbeatResponse> {
    const { agentId, ...body } = options;
    const id = agentId ?? (await this.currentAgentId());
    return this.context.transport.request({ method: 'POST', path: `${path(id)}/heartbeat`, body, schema: heartbeatResponseSchema });
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
