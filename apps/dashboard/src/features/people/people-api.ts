import { type Agent, endpoints, type Member, type PrincipalReference } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';
import { useAgents } from '../agents/agents-api';
import type { MentionTarget } from '../markdown/remark-mentions';

export function useMembers() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.members,
    queryFn: ({ signal }) => client.request(endpoints.listMembers, { signal }),
    select: (answer) => answer.data,
  });
}

export interface PrincipalEntry {
  reference: PrincipalReference;
  name: string;
  /** What to type after @ to mention them. */
  handle: string;
  detail: string;
}

/** A person's mention handle, as the server reads it: the local part of their email, lowercase. */
export function userHandle(member: Pick<Member, 'user'>): string {
  return (member.user.email.split('@')[0] ?? member.user.email).toLowerCase();
}

export function toDirectory(agents: Agent[] | undefined, members: Member[] | undefined): PrincipalEntry[] {
  return [
    ...(agents ?? []).map((agent) => ({
      reference: { kind: 'agent' as const, id: agent.id },
      name: agent.name,
      handle: agent.name,
      detail: agent.role,
    })),
    ...(members ?? []).map((member) => ({
      reference: { kind: 'user' as const, id: member.user.id },
      name: member.user.name,
      handle: userHandle(member),
      detail: member.user.email,
    })),
  ];
}

/** Who each @handle (lowercase) mentions, as the server resolves it; @all is everyone. */
export function toMentionTargets(entries: readonly PrincipalEntry[]): Map<string, MentionTarget> {
  const targets = new Map<string, MentionTarget>([['all', { name: 'everyone', kind: 'everyone' }]]);
  for (const entry of entries) {
    const handle = entry.handle.toLowerCase();
    // A handle shared by an agent and a person mentions both; the first one names it.
    if (!targets.has(handle)) targets.set(handle, { name: entry.name, kind: entry.reference.kind });
  }
  return targets;
}

/** Agents and people of the workspace, to show names for principal references and offer @mentions. */
export function usePrincipalDirectory() {
  const agents = useAgents();
  const members = useMembers();
  return useMemo(() => {
    const entries = toDirectory(agents.data, members.data);
    const byId = new Map(entries.map((entry) => [entry.reference.id, entry]));
    return {
      entries,
      mentionTargets: toMentionTargets(entries),
      isLoading: agents.isLoading || members.isLoading,
      nameOf: (reference: PrincipalReference | null | undefined) => {
        if (!reference) return 'System';
        return byId.get(reference.id)?.name ?? `${reference.kind} ${reference.id.slice(-6)}`;
      },
    };
  }, [agents.data, members.data, agents.isLoading, members.isLoading]);
}
