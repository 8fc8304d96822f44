import { type KeyboardEvent, type RefObject, useCallback, useMemo, useState } from 'react';
import type { PrincipalEntry } from '../people/people-api';
import { findMentionQuery, insertMention, matchMentionCandidates } from './mention';

interface Options {
  entries: PrincipalEntry[];
  value: string;
  onChange: (value: string) => void;
  textarea: RefObject<HTMLTextAreaElement | null>;
}

/**
 * @ autocomplete for a textarea: typing @ and letters opens a list of matching agents and people;
 * arrow keys move, Enter or Tab picks, Escape closes. The textarea keeps focus throughout (the
 * list is an aria-activedescendant listbox), so typing never stops.
 */
export function useMentionAutocomplete({ entries, value, onChange, textarea }: Options) {
  const [caret, setCaret] = useState(0);
  const [activeIndex, setActiveIndex] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);

  const mention = useMemo(() => findMentionQuery(value, caret), [value, caret]);
  const options = useMemo(() => (mention ? matchMentionCandidates(entries, mention.query) : []), [mention, entries]);
  const open = mention !== null && options.length > 0 && dismissedAt !== mention.start;
  const active = Math.min(activeIndex, Math.max(0, options.length - 1));

  const syncCaret = useCallback(() => {
    const element = textarea.current;
    if (element) setCaret(element.selectionStart ?? element.value.length);
  }, [textarea]);

  const choose = useCallback(
    (entry: PrincipalEntry) => {
      if (!mention) return;
      const result = insertMention(value, mention, caret, entry.handle);
      onChange(result.text);
      setCaret(result.caret);
      setActiveIndex(0);
      requestAnimationFrame(() => {
        const element = textarea.current;
        if (!element) return;
        element.focus();
        element.setSelectionRange(result.caret, result.caret);
      });
    },
    [mention, value, caret, onChange, textarea],
  );

  /** A mention is being typed (even with no match): Escape belongs to it, not to the drawer around it. */
  const typing = mention !== null && dismissedAt !== mention.start;

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTextAreaElement>) => {
      if (!open) {
        if (typing && event.key === 'Escape') {
          event.preventDefault();
          setDismissedAt(mention?.start ?? null);
        }
        return;
      }
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        setActiveIndex((active + 1) % options.length);
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        setActiveIndex((active - 1 + options.length) % options.length);
      } else if (event.key === 'Enter' || event.key === 'Tab') {
        const entry = options[active];
        if (entry) {
          event.preventDefault();
          choose(entry);
        }
      } else if (event.key === 'Escape') {
        event.preventDefault();
        setDismissedAt(mention?.start ?? null);
      }
    },
    [open, typing, options, active, choose, mention],
  );

  return {
    open,
    typing,
    options,
    activeIndex: active,
    choose,
    onKeyDown,
    /** Call from onChange, onClick, onKeyUp and onSelect so the caret position is known. */
    syncCaret,
    setCaret,
  };
}
