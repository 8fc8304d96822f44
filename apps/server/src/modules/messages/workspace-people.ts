import { maxPageSize, type PrincipalReference } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import type { AgentService } from '../agents/agent.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { extractMentions, type MentionDirectory, resolveMentions } from './mentions.js';

export type WorkspacePeople = ReturnType<typeof createWorkspacePeople>;

/**
 * Who is in a workspace, read through the agents and workspaces services, for the messages and
 * documents modules: mention resolution, thread participants and the actor's name in summaries.
 *
 * Every function reads outside any transaction. Call them before opening one: on SQLite a
 * transaction holds the only connection, and a read through another service would wait forever.
 */
export function createWorkspacePeople(dependencies: { agents: AgentService; workspaces: WorkspaceService }) {
  const { agents, workspaces } = dependencies;

  async function listAllAgents(principal: Principal) {
    const all: { id: string; name: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await agents.listAgents(principal, { limit: maxPageSize, cursor });
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  async function loadMentionDirectory(principal: Principal): Promise<MentionDirectory> {
    const [agentList, members] = await Promise.all([listAllAgents(principal), workspaces.listMembers(principal)]);
    return { agents: agentList, members: members.map((member) => ({ id: member.user.id, email: member.user.email })) };
  }

  return {
    /**
     * The directory needed to resolve the mentions of these texts, or null when none of them
     * mentions anyone, so that plain messages cost no directory read.
     */
    async loadMentionDirectoryFor(principal: Principal, texts: readonly string[]): Promise<MentionDirectory | null> {
      if (!texts.some((text) => extractMentions(text).length > 0)) return null;
      return loadMentionDirectory(principal);
    },

    /** The agents and members a markdown text mentions. */
    mentionedIn(text: string, directory: MentionDirectory | null): PrincipalReference[] {
      return directory ? resolveMentions(extractMentions(text), directory) : [];
    },

    /** Drops removed agents and people who left the workspace. */
    async keepCurrentPeople(principal: Principal, people: readonly PrincipalReference[]): Promise<PrincipalReference[]> {
      const agentIds = people.filter((person) => person.kind === 'agent').map((person) => person.id);
      const userIds = people.filter((person) => person.kind === 'user').map((person) => person.id);
      const [liveAgents, memberIds] = await Promise.all([
        agents.findAgents(principal, agentIds),
        workspaces.findMemberIds(principal, userIds),
      ]);
      const liveAgentIds = new Set(liveAgents.map((agent) => agent.id));
      return people.filter((person) => (person.kind === 'agent' ? liveAgentIds.has(person.id) : memberIds.has(person.id)));
    },

    /** "agent jarvis" or "user Pepper", for one-line event summaries and notifications. */
    async describeActor(principal: Principal): Promise<string> {
      if (principal.kind === 'agent') {
        const [agent] = await agents.findAgents(principal, [principal.id]);
        return `agent ${agent?.name ?? principal.id}`;
      }
      const member = (await workspaces.listMembers(principal)).find((candidate) => candidate.user.id === principal.id);
      return `user ${member?.user.name ?? principal.id}`;
    },
  };
}
