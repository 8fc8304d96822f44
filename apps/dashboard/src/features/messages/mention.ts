import type { PrincipalEntry } from '../people/people-api';

export interface MentionQuery {
  /** Index of the @ in the text. */
  start: number;
  /** What was typed after the @, up to the caret. */
  query: string;
}

const handleCharacter = /[A-Za-z0-9._-]/;

/** The @mention being typed at the caret, if any: an @ at the start or after a space, then handle characters. */
export function findMentionQuery(text: string, caret: number): MentionQuery | null {
  let index = caret - 1;
  while (index >= 0 && handleCharacter.test(text[index] ?? '')) index -= 1;
  if (index < 0 || text[index] !== '@') return null;
  const before = index === 0 ? '' : (text[index - 1] ?? '');
  if (before && !/[\s([{"'>]/.test(before)) return null;
  return { start: index, query: text.slice(index + 1, caret) };
}

/** Candidates for a query: handles or names that start with it first, then handles that contain it or a word of the name that starts with it; at most eight. */
export function matchMentionCandidates(entries: PrincipalEntry[], query: string): PrincipalEntry[] {
  const needle = query.toLowerCase();
  const starts = entries.filter((entry) => entry.handle.toLowerCase().startsWith(needle) || entry.name.toLowerCase().startsWith(needle));
  const contains = entries.filter(
    (entry) =>
      !starts.includes(entry) &&
      (entry.handle.toLowerCase().includes(needle) ||
        entry.name
          .toLowerCase()
          .split(/\s+/)
          .some((word) => word.startsWith(needle))),
  );
  return [...starts, ...contains].slice(0, 8);
}

/** Replaces the typed @query with the chosen handle and a space, and says where the caret goes. */
export function insertMention(text: string, mention: MentionQuery, caret: number, handle: string): { text: string; caret: number } {
  const inserted = `@${handle} `;
  const after = text.slice(caret).replace(/^[A-Za-z0-9._-]*/, '');
  const next = `${text.slice(0, mention.start)}${inserted}${after.startsWith(' ') ? after.slice(1) : after}`;
  return { text: next, caret: mention.start + inserted.length };
}
