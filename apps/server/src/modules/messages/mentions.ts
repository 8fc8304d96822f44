import type { PrincipalReference } from '@mission-control/contracts';

/**
 * @mentions in markdown, as pure functions so messages and documents share one reading of them.
 *
 * A handle names an agent (by its name) or a person (by the local part of their email:
 * admin@mission.local is @admin), case-insensitively. @all is everyone in the workspace.
 * Text inside inline code and fenced code blocks is not read, so pasted code such as
 * `@Injectable()` or a decorator in a ``` block mentions nobody.
 */

export const everyoneHandle = 'all';

/*
 * The @ must not follow a letter, a digit, a dot, a plus, a dash, a slash, another @ or a
 * backslash: that keeps out email addresses (admin@mission.local), URL paths (/@scope/pkg)
 * and escaped \@name. An underscore may precede it, as in _@name_ emphasis.
 */
const mentionPattern = /(?<![A-Za-z0-9.+\-/@\\])(_?)@([A-Za-z0-9][A-Za-z0-9._-]*)/g;
const fenceOpenPattern = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const fenceClosePattern = /^ {0,3}(`{3,}|~{3,})\s*$/;

/** The handles mentioned in a markdown text: lowercase, unique, in order of first appearance. */
export function extractMentions(markdown: string): string[] {
  const handles = new Set<string>();
  for (const match of removeCode(markdown).matchAll(mentionPattern)) {
    // A sentence may end right after a mention ("thanks @jarvis."), and _@name_ is emphasis:
    // neither the dot nor the closing underscore is part of the name.
    let handle = (match[2] ?? '').replace(/\.+$/, '');
    if (match[1] === '_') handle = handle.replace(/_+$/, '').replace(/\.+$/, '');
    handle = handle.toLowerCase();
    if (handle) handles.add(handle);
  }
  return [...handles];
}

export interface MentionDirectory {
  agents: readonly { id: string; name: string }[];
  members: readonly { id: string; email: string }[];
}

/**
 * Who the handles point at. A handle can match an agent and a person at once (or two people
 * whose emails share a local part): all of them are mentioned. Unknown handles are ignored.
 */
export function resolveMentions(handles: readonly string[], directory: MentionDirectory): PrincipalReference[] {
  const everyone = handles.includes(everyoneHandle);
  const wanted = new Set(handles);
  const recipients: PrincipalReference[] = [];
  for (const agent of directory.agents) {
    if (everyone || wanted.has(agent.name.toLowerCase())) recipients.push({ kind: 'agent', id: agent.id });
  }
  for (const member of directory.members) {
    if (everyone || wanted.has(emailHandle(member.email))) recipients.push({ kind: 'user', id: member.id });
  }
  return recipients;
}

/** The handle a person is mentioned by: the local part of their email, lowercase. */
export function emailHandle(email: string): string {
  const at = email.lastIndexOf('@');
  return (at === -1 ? email : email.slice(0, at)).toLowerCase();
}

/** The text with fenced code blocks and inline code spans blanked out. */
function removeCode(markdown: string): string {
  const prose: string[] = [];
  let fence: { character: string; length: number } | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    if (fence) {
      const close = fenceClosePattern.exec(line)?.[1];
      if (close?.startsWith(fence.character) && close.length >= fence.length) fence = null;
      prose.push('');
      continue;
    }
    const open = fenceOpenPattern.exec(line);
    const marker = open?.[1];
    // A backtick fence's info string cannot hold a backtick; such a line is inline code instead.
    if (marker && !(marker.startsWith('`') && open[2]?.includes('`'))) {
      fence = { character: marker.charAt(0), length: marker.length };
      prose.push('');
      continue;
    }
    prose.push(line);
  }
  // Code spans never cross a blank line, so each paragraph is read on its own.
  return prose
    .join('\n')
    .split(/\n[ \t]*\n/)
    .map(removeCodeSpans)
    .join('\n\n');
}

/** Blanks `code spans`: a run of backticks up to the next run of the same length. */
function removeCodeSpans(paragraph: string): string {
  let result = '';
  let index = 0;
  while (index < paragraph.length) {
    const open = paragraph.indexOf('`', index);
    if (open === -1) {
      result += paragraph.slice(index);
      break;
    }
    const openEnd = endOfBacktickRun(paragraph, open);
    const close = findBacktickRun(paragraph, openEnd, openEnd - open);
    if (close === -1) {
      // An opener without a closer is literal text.
      result += paragraph.slice(index, openEnd);
      index = openEnd;
      continue;
    }
    result += `${paragraph.slice(index, open)} `;
    index = close + (openEnd - open);
  }
  return result;
}

function endOfBacktickRun(text: string, start: number): number {
  let end = start;
  while (text[end] === '`') end += 1;
  return end;
}

function findBacktickRun(text: string, from: number, length: number): number {
  let index = from;
  for (;;) {
    const start = text.indexOf('`', index);
    if (start === -1) return -1;
    const end = endOfBacktickRun(text, start);
    if (end - start === length) return start;
    index = end;
  }
}
