import { searchQuerySchema, searchResultSchema } from '../search.js';
import { defineEndpoint } from './define-endpoint.js';

export const searchWorkspace = defineEndpoint({
  operationId: 'searchWorkspace',
  method: 'GET',
  path: '/api/v1/search',
  tag: 'search',
  auth: 'any',
  summary: 'Search tasks, messages, documents and memories',
  description:
    'One ranked list over the caller’s workspace (bm25 over FTS5 on SQLite, ts_rank over tsvector on PostgreSQL; titles weigh more), with a highlighted snippet per hit and the count of matches of each type. Any word may match. The index is kept current in the transaction of every write. Agents see their own memories only; people see every agent’s.',
  query: searchQuerySchema,
  responses: { 200: { description: 'The hits, most relevant first, and the facets', schema: searchResultSchema } },
  errors: [],
});
