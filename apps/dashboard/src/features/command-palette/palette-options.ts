import type { SearchHit, SearchType } from '@mission-control/contracts';
import type { NavigationItem } from '../layout/navigation';

/** One row of the palette: where Enter goes and what the person reads. */
export interface PaletteOption {
  id: string;
  group: string;
  label: string;
  /** Matched words wrapped in ** (from the search), or empty. */
  snippet: string;
  /** A path; `?task=` alone opens the task drawer over the current page. */
  to: string;
}

const groupLabels: Record<SearchType, string> = {
  task: 'Tasks',
  message: 'Messages',
  document: 'Documents',
  skill: 'Skills',
  memory: 'Memories',
};
const groupOrder: SearchType[] = ['task', 'document', 'skill', 'message', 'memory'];

/** Where a hit opens: documents, skills and agents have pages, tasks and messages open the task drawer where the person is. */
export function targetOfHit(hit: SearchHit): string {
  if (hit.type === 'document') return `/documents/${hit.id}`;
  if (hit.type === 'skill') return `/skills/${hit.id}`;
  if (hit.type === 'memory') return hit.agentId ? `/agents/${hit.agentId}` : '/agents';
  return `?${new URLSearchParams({ task: hit.taskId ?? hit.id })}`;
}

function labelOfHit(hit: SearchHit): string {
  if (hit.title) return hit.title;
  if (hit.type === 'message') return 'Message on a task';
  if (hit.type === 'memory') return 'Agent memory';
  return 'Untitled';
}

/** The pages whose label contains the query (all of them before anything is typed), the agents whose name does, then the hits grouped by type. */
export function buildPaletteOptions(
  query: string,
  navigation: NavigationItem[],
  hits: SearchHit[],
  agents: { id: string; name: string; role: string }[] = [],
): PaletteOption[] {
  const words = query.trim().toLowerCase();
  const pages = navigation
    .filter((item) => !words || item.label.toLowerCase().includes(words))
    .map((item) => ({ id: `page-${item.to}`, group: 'Pages', label: item.label, snippet: '', to: item.to }));
  const people = words
    ? agents
        .filter((agent) => agent.name.toLowerCase().includes(words))
        .map((agent) => ({ id: `agent-${agent.id}`, group: 'Agents', label: agent.name, snippet: agent.role, to: `/agents/${agent.id}` }))
    : [];
  const found = groupOrder.flatMap((type) =>
    hits
      .filter((hit) => hit.type === type)
      .map((hit) => ({
        id: `${hit.type}-${hit.id}`,
        group: groupLabels[type],
        label: labelOfHit(hit),
        snippet: hit.snippet,
        to: targetOfHit(hit),
      })),
  );
  return [...pages, ...people, ...found];
}
