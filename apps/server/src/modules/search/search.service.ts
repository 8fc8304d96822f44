import { type SearchQuery, type SearchResult, type SearchType, searchTypeSchema } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { toSearchTerms } from '../../core/search-terms.js';
import type { ServiceContext } from '../../core/service-context.js';
import { searchEntries } from './search.repository.js';

export type SearchService = ReturnType<typeof createSearchService>;

/** One ranked search over the workspace's tasks, messages, documents, skills and memories. */
export function createSearchService(context: ServiceContext) {
  const { db, engine } = context;
  return {
    async searchWorkspace(principal: Principal, query: SearchQuery): Promise<SearchResult> {
      assertCan(principal, 'workspace:read');
      const types: SearchType[] = query.types
        ? [...new Set(query.types.split(',').map((type) => searchTypeSchema.parse(type)))]
        : [...searchTypeSchema.options];
      const { hits, facets } = await searchEntries(db, engine, {
        workspaceId: principal.workspaceId,
        terms: toSearchTerms(query.q),
        types,
        memoryAgentId: principal.kind === 'agent' ? principal.id : null,
        limit: query.limit,
      });
      const countOf = (type: SearchType) => facets.find((facet) => facet.entity_type === type)?.count ?? 0;
      return {
        hits: hits.map((row) => ({
          type: row.entity_type,
          id: row.entity_id,
          taskId: row.task_id,
          agentId: row.agent_id,
          title: row.title,
          snippet: row.snippet ?? '',
          score: row.score,
          updatedAt: row.updated_at,
        })),
        facets: {
          task: countOf('task'),
          message: countOf('message'),
          document: countOf('document'),
          skill: countOf('skill'),
          memory: countOf('memory'),
        },
      };
    },
  };
}
