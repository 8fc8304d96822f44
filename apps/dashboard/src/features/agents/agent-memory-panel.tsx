import { type Memory, type MemoryKind, memoryKindSchema } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import { FilterInput } from '../../components/filter-fields';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { timeAgo } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { useNow } from '../../lib/use-now';
import { describeScore, useAgentMemories, useAgentMemorySearch, useCreateMemory, useForgetMemory } from './agent-memory-api';
import { useAgents } from './agents-api';

const importanceWords = ['', 'trivia', 'minor', 'useful', 'important', 'never forget'] as const;

function MemoryRow({ agentId, memory, source, match }: { agentId: string; memory: Memory; source: string; match?: string }) {
  const now = useNow();
  const forget = useForgetMemory(agentId);
  const [confirming, setConfirming] = useState(false);
  const sharing = memory.sharedWithWorkspace
    ? 'shared with the workspace'
    : memory.sharedWithAgentIds.length > 0
      ? `shared with ${memory.sharedWithAgentIds.length} agent${memory.sharedWithAgentIds.length === 1 ? '' : 's'}`
      : '';
  return (
    <li className="flex flex-col gap-1 border-2 border-ink p-2">
      <p className="break-words">{memory.content}</p>
      <p className="flex flex-wrap gap-x-2 font-mono text-xs">
        <span className="border-2 border-ink px-1 font-bold uppercase">{memory.kind}</span>
        <span>
          importance {memory.importance} ({importanceWords[memory.importance]})
        </span>
        {memory.tags.map((tag) => (
          <span key={tag}>#{tag}</span>
        ))}
        <span>{source}</span>
        {sharing ? <span>{sharing}</span> : null}
        <span>{timeAgo(memory.createdAt, now)}</span>
        {match ? <span className="font-bold">{match}</span> : null}
      </p>
      {memory.agentId !== agentId ? null : confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm font-bold">Forget this memory? The agent will not recall it again.</span>
          <button
            type="button"
            className="brutal-button"
            data-variant="danger"
            disabled={forget.isPending}
            onClick={() => forget.mutate(memory.id, { onError: (error) => showToast(describeError(error), 'error') })}
          >
            Yes, forget
          </button>
          <button type="button" className="brutal-button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <div>
          <button type="button" className="brutal-button" onClick={() => setConfirming(true)}>
            Forget
          </button>
        </div>
      )}
    </li>
  );
}

function AddMemoryForm({ agentId }: { agentId: string }) {
  const create = useCreateMemory(agentId);
  const [content, setContent] = useState('');
  const [kind, setKind] = useState<MemoryKind>('fact');
  const [tags, setTags] = useState('');
  const [importance, setImportance] = useState(3);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!content.trim()) return;
    const tagList = tags.split(/[\s,]+/).filter(Boolean);
    create.mutate(
      { content: content.trim(), kind, tags: tagList, importance },
      {
        onSuccess: () => {
          setContent('');
          setTags('');
          showToast('Remembered.', 'success');
        },
      },
    );
  };
  return (
    <form aria-label="Add a memory" className="grid grid-cols-1 gap-2 border-2 border-ink p-2 sm:grid-cols-3" onSubmit={submit}>
      <div className="flex flex-col sm:col-span-3">
        <label className="brutal-label" htmlFor={`memory-content-${agentId}`}>
          Something to remember
        </label>
        <textarea
          id={`memory-content-${agentId}`}
          className="brutal-input"
          rows={2}
          value={content}
          onChange={(event) => setContent(event.target.value)}
        />
      </div>
      <div className="flex flex-col">
        <label className="brutal-label" htmlFor={`memory-kind-${agentId}`}>
          Kind
        </label>
        <select
          id={`memory-kind-${agentId}`}
          className="brutal-input"
          value={kind}
          onChange={(event) => setKind(memoryKindSchema.parse(event.target.value))}
        >
          {memoryKindSchema.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col">
        <label className="brutal-label" htmlFor={`memory-importance-${agentId}`}>
          Importance
        </label>
        <select
          id={`memory-importance-${agentId}`}
          className="brutal-input"
          value={importance}
          onChange={(event) => setImportance(Number(event.target.value))}
        >
          {[1, 2, 3, 4, 5].map((level) => (
            <option key={level} value={level}>
              {level} — {importanceWords[level]}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col">
        <label className="brutal-label" htmlFor={`memory-tags-${agentId}`}>
          Tags (comma-separated)
        </label>
        <input id={`memory-tags-${agentId}`} className="brutal-input" value={tags} onChange={(event) => setTags(event.target.value)} />
      </div>
      {create.isError ? (
        <p role="alert" className="text-sm font-bold sm:col-span-3">
          Not remembered: {describeError(create.error)}
        </p>
      ) : null}
      <div className="sm:col-span-3">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={create.isPending || !content.trim()}>
          Remember
        </button>
      </div>
    </form>
  );
}

/** What the agent remembers: the newest memories, a search as the agent would recall, forget, and add one as a person. */
export function AgentMemoryPanel({ agentId, agentName }: { agentId: string; agentName: string }) {
  const [query, setQuery] = useState('');
  const q = useDebouncedValue(query, 250).trim();
  const memories = useAgentMemories(agentId);
  const search = useAgentMemorySearch(agentId, q);
  const agents = useAgents();
  const nameOf = (id: string) => agents.data?.find((agent) => agent.id === id)?.name ?? 'another agent';
  const best = search.data?.results[0]?.score ?? 0;

  return (
    <section aria-label="Memory" className="flex flex-col gap-3 border-[3px] border-ink p-3">
      <h2 className="text-xl font-black uppercase">Memory</h2>
      <AddMemoryForm agentId={agentId} />
      <FilterInput
        id={`memory-search-${agentId}`}
        label={`What would ${agentName} recall?`}
        value={query}
        placeholder="a question or some words"
        onChange={setQuery}
      />
      {q ? (
        search.isPending ? (
          <SkeletonList rows={2} />
        ) : search.isError ? (
          <ErrorState error={search.error} what="the memory search" onRetry={() => search.refetch()} />
        ) : (
          <>
            <p className="text-sm">{search.data.note}</p>
            {search.data.results.length === 0 ? (
              <EmptyState title="Nothing recalled">Try other words: any of them may match.</EmptyState>
            ) : (
              <ul className="flex flex-col gap-2" aria-label="Recalled memories">
                {search.data.results.map((hit) => (
                  <MemoryRow
                    key={hit.memory.id}
                    agentId={agentId}
                    memory={hit.memory}
                    source={hit.sharedFrom ? `shared by ${nameOf(hit.sharedFrom)}` : 'its own'}
                    match={describeScore(hit.score, best)}
                  />
                ))}
              </ul>
            )}
          </>
        )
      ) : memories.isPending ? (
        <SkeletonList rows={2} />
      ) : memories.isError ? (
        <ErrorState error={memories.error} what="the memories" onRetry={() => memories.refetch()} />
      ) : memories.data.data.length === 0 ? (
        <EmptyState title="Nothing remembered yet">{agentName} remembers what it learns; you can add a memory above.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Memories">
          {memories.data.data.map((memory) => (
            <MemoryRow key={memory.id} agentId={agentId} memory={memory} source="its own" />
          ))}
        </ul>
      )}
    </section>
  );
}
