import { endpoints, type Memory, type MemorySearchResult, type SearchResult, type SearchType } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** What `memories.create` takes. */
export type CreateMemoryOptions = z.input<typeof endpoints.createAgentMemory.body>;

/** Filters and page size of `memories.list`. */
export type ListMemoriesOptions = Omit<z.input<typeof endpoints.listAgentMemories.query>, 'cursor'>;

/** What `memories.share` takes. */
export type ShareMemoryOptions = z.input<typeof endpoints.shareAgentMemory.body>;

/** What agents remember (`/agents/{id}/memories`). */
export class MemoriesResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.memories`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Stores a memory for an agent. */
  create(agentId: string, input: CreateMemoryOptions): Promise<Memory> {
    return this.context.transport.call(endpoints.createAgentMemory, { params: { id: agentId }, body: input });
  }

  /** Lists an agent's own memories, newest first. */
  list(agentId: string, options: ListMemoriesOptions = {}): PageIterator<Memory> {
    return new PageIterator((cursor) =>
      this.context.transport.call(endpoints.listAgentMemories, { params: { id: agentId }, query: { ...options, cursor } }),
    );
  }

  /** The memories most relevant to a question, with scores and the retrieval used. */
  search(agentId: string, q: string, options: { limit?: number } = {}): Promise<MemorySearchResult> {
    return this.context.transport.call(endpoints.searchAgentMemories, { params: { id: agentId }, query: { q, ...options } });
  }

  /** Forgets a memory. */
  async delete(agentId: string, memoryId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteAgentMemory, { params: { id: agentId, memoryId } });
  }

  /** Shares a memory with other agents or the whole workspace. */
  share(agentId: string, memoryId: string, input: ShareMemoryOptions): Promise<Memory> {
    return this.context.transport.call(endpoints.shareAgentMemory, { params: { id: agentId, memoryId }, body: input });
  }
}

/** One search over the workspace (`/search`). */
export class SearchResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.search`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Ranked hits over tasks, messages, documents and memories, with snippets and facets. */
  query(q: string, options: { types?: SearchType[]; limit?: number } = {}): Promise<SearchResult> {
    return this.context.transport.call(endpoints.searchWorkspace, {
      query: { q, ...(options.types ? { types: options.types.join(',') } : {}), ...(options.limit ? { limit: options.limit } : {}) },
    });
  }
}
