// Agent cards (A2A v1.0 §8): what a remote client reads to find an agent and learn how to call it.
import type { AgentCard, AgentSkill } from '@a2a-js/sdk';
import type { Agent } from '@mission-control/contracts';
import { version } from '../../version.js';

/** Where A2A requests for an agent go, and the card that describes it (under that endpoint). */
export function agentEndpointUrl(baseUrl: string, agentId: string): string {
  return `${baseUrl}/a2a/agents/${agentId}`;
}

export function workspaceEndpointUrl(baseUrl: string, workspaceId: string): string {
  return `${baseUrl}/a2a/workspaces/${workspaceId}`;
}

export function cardUrlOf(endpointUrl: string): string {
  return `${endpointUrl}/.well-known/agent-card.json`;
}

const securitySchemes: AgentCard['securitySchemes'] = {
  bearer: {
    scheme: {
      $case: 'httpAuthSecurityScheme',
      value: {
        description:
          'A Mission Control API key of the agent’s workspace (an agent’s or a person’s, made in Settings or with `mission agents key`), or a signed-in access token.',
        scheme: 'Bearer',
        bearerFormat: '',
      },
    },
  },
};

function baseCard(input: { name: string; description: string; endpointUrl: string; baseUrl: string; streaming: boolean }): AgentCard {
  return {
    name: input.name,
    description: input.description,
    supportedInterfaces: [{ url: input.endpointUrl, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' }],
    provider: { organization: 'Mission Control', url: input.baseUrl },
    version,
    capabilities: { streaming: input.streaming, pushNotifications: true, extensions: [], extendedAgentCard: false },
    securitySchemes,
    securityRequirements: [{ schemes: { bearer: { list: [] } } }],
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/markdown', 'text/plain'],
    skills: [],
    signatures: [],
  };
}

/** An agent's skills: one per capability, or its role when it lists none. */
function skillsOf(agent: Agent): AgentSkill[] {
  const skill = (id: string, name: string, description: string, tags: string[]): AgentSkill => ({
    id,
    name,
    description,
    tags,
    examples: [],
    inputModes: [],
    outputModes: [],
    securityRequirements: [],
  });
  if (agent.capabilities.length === 0)
    return [skill(agent.role.toLowerCase().replace(/[^a-z0-9]+/g, '-'), agent.role, `${agent.name}, ${agent.role}`, [])];
  return agent.capabilities.map((capability) =>
    skill(capability, capability, `${capability}, by ${agent.name} (${agent.role})`, [capability, agent.kind]),
  );
}

/** The instructions an agent follows, shortened: a card is read by strangers and other programs. */
function describe(agent: Agent): string {
  const memory = agent.memoryContext.trim().split('\n\n')[0]?.slice(0, 400) ?? '';
  const intro = `${agent.name} is the squad’s ${agent.role} (${agent.kind}). A message becomes a task on its board; follow it with tasks/get or message/stream.`;
  return memory ? `${intro}\n\n${memory}` : intro;
}

export function buildAgentCard(agent: Agent, options: { baseUrl: string; streaming: boolean }): AgentCard {
  return {
    ...baseCard({
      name: agent.name,
      description: describe(agent),
      endpointUrl: agentEndpointUrl(options.baseUrl, agent.id),
      baseUrl: options.baseUrl,
      streaming: options.streaming,
    }),
    skills: skillsOf(agent),
  };
}

/**
 * A workspace's directory: its published agents as skills (each names its own card), at an
 * endpoint where a message becomes an unassigned task that the lead routes.
 */
export function buildDirectoryCard(
  workspace: { id: string; name: string },
  agents: readonly Agent[],
  options: { baseUrl: string; streaming: boolean },
): AgentCard {
  const skills: AgentSkill[] = agents.map((agent) => ({
    id: agent.id,
    name: agent.name,
    description: `${agent.role} (${agent.kind}). Its own card: ${cardUrlOf(agentEndpointUrl(options.baseUrl, agent.id))}`,
    tags: [agent.kind, ...agent.capabilities],
    examples: [],
    inputModes: [],
    outputModes: [],
    securityRequirements: [],
  }));
  return {
    ...baseCard({
      name: `${workspace.name} (Mission Control)`,
      description: `The published agents of ${workspace.name}. A message sent here becomes a task in the workspace’s inbox, and its lead routes it by capability; send to an agent’s own endpoint to choose.`,
      endpointUrl: workspaceEndpointUrl(options.baseUrl, workspace.id),
      baseUrl: options.baseUrl,
      streaming: options.streaming,
    }),
    skills,
  };
}
