import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import type { DatabaseExecutor, Engine } from '../../db/database.js';

export interface SearchFilter {
  workspaceId: string;
  terms: readonly string[];
  types: readonly ('task' | 'message' | 'document' | 'skill' | 'memory')[];
  /** Set for an agent: only its own memories. */
  memoryAgentId: string | null;
  limit: number;
}

const hitRowSchema = z.object({
  entity_type: z.enum(['task', 'message', 'document', 'skill', 'memory']),
  entity_id: z.string(),
  task_id: z.string().nullable(),
  agent_id: z.string().nullable(),
  title: z.string(),
  snippet: z.string().nullable(),
  score: z.coerce.number(),
  updated_at: z.union([z.string(), z.date()]).transform((value) => (value instanceof Date ? value.toISOString() : value)),
});
const facetRowSchema = z.object({ entity_type: z.enum(['task', 'message', 'document', 'skill', 'memory']), count: z.coerce.number() });

function visible(alias: string, filter: SearchFilter): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const types = sql.join(filter.types.map((type) => sql.lit(type)));
  const memories =
    filter.memoryAgentId === null
      ? sql`true`
      : sql`(${column('entity_type')} <> 'memory' or ${column('agent_id')} = ${filter.memoryAgentId})`;
  return sql<boolean>`${column('workspace_id')} = ${filter.workspaceId} and ${column('entity_type')} in (${types}) and ${memories}`;
}

/** The best hits of any of the terms with a highlighted snippet, and the count of matches of each type. */
export async function searchEntries(executor: DatabaseExecutor, engine: Engine, filter: SearchFilter) {
  if (filter.terms.length === 0 || filter.types.length === 0) return { hits: [], facets: [] };
  if (engine === 'postgres') {
    const query = sql`to_tsquery('english', ${filter.terms.join(' | ')})`;
    // Snippets only for the hits kept: ts_headline re-parses the text and is the costly part.
    const hits = await sql`
      select top.entity_type, top.entity_id, top.task_id, top.agent_id, top.title, top.updated_at, top.score,
        ts_headline('english', case when top.body = '' then top.title else top.body end, ${query},
          'StartSel=**, StopSel=**, MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=" … "') as snippet
      from (
        select e.entity_type, e.entity_id, e.task_id, e.agent_id, e.title, e.body, e.updated_at, ts_rank(e.search_vector, q) as score
        from search_entries e, ${query} q
        where ${visible('e', filter)} and e.search_vector @@ q
        order by score desc, e.updated_at desc limit ${filter.limit}
      ) top
      order by top.score desc, top.updated_at desc`.execute(executor);
    const facets = await sql`
      select e.entity_type, count(*) as count from search_entries e, ${query} q
      where ${visible('e', filter)} and e.search_vector @@ q group by e.entity_type`.execute(executor);
    return { hits: z.array(hitRowSchema).parse(hits.rows), facets: z.array(facetRowSchema).parse(facets.rows) };
  }
  const match = filter.terms.map((term) => `"${term}"`).join(' OR ');
  // bm25 weights: a title word counts three times a body word.
  const hits = await sql`
    select r.entity_type, r.entity_id, r.task_id, r.agent_id, r.title, r.updated_at,
      snippet(search_entries, -1, '**', '**', ' … ', 24) as snippet,
      -bm25(search_entries, 3.0, 1.0) as score
    from search_entries join search_entries_rows r on r.id = search_entries.rowid
    where search_entries match ${match} and ${visible('r', filter)}
    order by bm25(search_entries, 3.0, 1.0), r.updated_at desc limit ${filter.limit}`.execute(executor);
  const facets = await sql`
    select r.entity_type, count(*) as count from search_entries join search_entries_rows r on r.id = search_entries.rowid
    where search_entries match ${match} and ${visible('r', filter)} group by r.entity_type`.execute(executor);
  return { hits: z.array(hitRowSchema).parse(hits.rows), facets: z.array(facetRowSchema).parse(facets.rows) };
}
