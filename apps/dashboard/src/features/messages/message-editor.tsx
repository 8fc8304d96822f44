import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { usePrincipalDirectory } from '../people/people-api';
import { usePostMessage } from './messages-api';
import { useMentionAutocomplete } from './use-mention-autocomplete';
import { usePopupPlacement } from './use-popup-placement';

/** Where a draft waits (per task and reply), so closing the drawer or reloading loses nothing. */
export function draftKey(taskId: string, replyToId?: string | null): string {
  return `mission:draft:${taskId}${replyToId ? `:${replyToId}` : ''}`;
}

function readDraft(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function writeDraft(key: string, content: string): void {
  try {
    if (content) localStorage.setItem(key, content);
    else localStorage.removeItem(key);
  } catch {
    // Storage full or disabled: the draft lives as long as the page.
  }
}

export function MessageEditor({ taskId, replyToId, onPosted }: { taskId: string; replyToId?: string | null; onPosted?: () => void }) {
  const directory = usePrincipalDirectory();
  const post = usePostMessage(taskId);
  const key = draftKey(taskId, replyToId);
  const [content, setContent] = useState(() => readDraft(key));
  useEffect(() => writeDraft(key, content), [key, content]);
  const [error, setError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const mentions = useMentionAutocomplete({ entries: directory.entries, value: content, onChange: setContent, textarea });
  const placement = usePopupPlacement(textarea, mentions.open);
  const listbox = useRef<HTMLDivElement>(null);
  // Inside a scrolled drawer the list can still sit past the edge: bring it, and the active option, into view.
  useEffect(() => {
    if (!mentions.open) return;
    listbox.current?.scrollIntoView?.({ block: 'nearest' });
    listbox.current?.children[mentions.activeIndex]?.scrollIntoView?.({ block: 'nearest' });
  }, [mentions.open, mentions.activeIndex]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!content.trim()) {
      setError('Write something first.');
      return;
    }
    setError(null);
    try {
      await post.mutateAsync({ content, ...(replyToId ? { replyToId } : {}) });
      setContent('');
      onPosted?.();
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-2">
      <label className="brutal-label" htmlFor={`${listId}-input`}>
        {replyToId ? 'Reply' : 'Message'} — markdown, @ to mention
      </label>
      {/* The list is placed against the textarea itself, so "below" means right under the text. */}
      <div className="relative">
        <textarea
          id={`${listId}-input`}
          ref={textarea}
          rows={3}
          className="brutal-input block"
          value={content}
          role="combobox"
          aria-expanded={mentions.open}
          aria-controls={`${listId}-mentions`}
          aria-autocomplete="list"
          data-escape-local={mentions.typing ? 'true' : undefined}
          aria-activedescendant={mentions.open ? `${listId}-option-${mentions.activeIndex}` : undefined}
          onChange={(event) => {
            setContent(event.target.value);
            mentions.setCaret(event.target.selectionStart ?? event.target.value.length);
          }}
          onKeyDown={(event) => {
            mentions.onKeyDown(event);
            if (!event.defaultPrevented && event.key === 'Enter' && (event.metaKey || event.ctrlKey)) void submit(event);
          }}
          onKeyUp={mentions.syncCaret}
          onClick={mentions.syncCaret}
        />
        {mentions.open ? (
          <div
            id={`${listId}-mentions`}
            ref={listbox}
            role="listbox"
            aria-label="Mention"
            data-placement={placement}
            className={`absolute left-0 z-20 max-h-64 w-72 max-w-full overflow-y-auto border-[3px] border-ink bg-paper shadow-[var(--shadow-hard)] ${
              placement === 'above' ? 'bottom-full mb-1' : 'top-full mt-1'
            }`}
          >
            {mentions.options.map((entry, index) => (
              <div
                key={entry.reference.id}
                id={`${listId}-option-${index}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === mentions.activeIndex}
                className={`cursor-pointer px-2 py-1 ${index === mentions.activeIndex ? 'bg-ink text-paper' : ''}`}
                onMouseDown={(event) => {
                  event.preventDefault();
                  mentions.choose(entry);
                }}
              >
                <span className="font-bold">{entry.name}</span> <span className="font-mono text-xs">@{entry.handle}</span>{' '}
                <span className="font-mono text-xs">{entry.reference.kind === 'agent' ? 'agent' : 'person'}</span>
              </div>
            ))}
          </div>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="font-mono text-xs font-bold text-danger">
          {error}
        </p>
      ) : null}
      <div className="flex justify-end">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={post.isPending}>
          {post.isPending ? 'Posting…' : 'Post'}
        </button>
      </div>
    </form>
  );
}
