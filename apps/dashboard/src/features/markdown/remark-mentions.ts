/** Someone an @handle points at, as the thread shows them. */
export interface MentionTarget {
  name: string;
  kind: 'agent' | 'user' | 'everyone';
}

/** The few fields of a markdown syntax tree node this plugin reads and writes. */
interface MarkdownNode {
  type: string;
  value?: string;
  children?: MarkdownNode[];
  data?: { hName?: string; hProperties?: Record<string, unknown> };
}

/*
 * The server's reading of a mention (apps/server/src/modules/messages/mentions.ts): the @ must not
 * follow a letter, a digit, a dot, a plus, a dash, a slash, another @ or a backslash, so email
 * addresses and URL paths are not mentions. Code is never a text node, so code mentions nobody here
 * either.
 */
const mentionPattern = /(?<![A-Za-z0-9.+\-/@\\])@([A-Za-z0-9][A-Za-z0-9._-]*)/g;

function mentionNode(text: string, handle: string, target: MentionTarget): MarkdownNode {
  const who = target.kind === 'everyone' ? 'everyone in the workspace' : `${target.name}, ${target.kind === 'agent' ? 'agent' : 'person'}`;
  return {
    // Any node with children will do: hName turns it into the span the reader sees.
    type: 'emphasis',
    data: { hName: 'span', hProperties: { className: ['mention'], title: `Mentions ${who}`, dataMention: handle } },
    children: [{ type: 'text', value: text }],
  };
}

/** A text node split into plain text and the mentions of known handles in it. */
export function splitMentions(text: string, targets: ReadonlyMap<string, MentionTarget>): MarkdownNode[] {
  const nodes: MarkdownNode[] = [];
  let from = 0;
  for (const match of text.matchAll(mentionPattern)) {
    // "thanks @quill." ends a sentence: the dot is not part of the handle.
    const handle = (match[1] ?? '').replace(/\.+$/, '');
    const target = targets.get(handle.toLowerCase());
    if (!target) continue;
    const start = match.index ?? 0;
    if (start > from) nodes.push({ type: 'text', value: text.slice(from, start) });
    nodes.push(mentionNode(`@${handle}`, handle.toLowerCase(), target));
    from = start + handle.length + 1;
  }
  if (from === 0) return [{ type: 'text', value: text }];
  if (from < text.length) nodes.push({ type: 'text', value: text.slice(from) });
  return nodes;
}

function highlight(node: MarkdownNode, targets: ReadonlyMap<string, MentionTarget>): void {
  // A link's text already goes somewhere; a mention inside it would be a second target.
  if (!node.children || node.type === 'link' || node.type === 'linkReference') return;
  node.children = node.children.flatMap((child) => {
    if (child.type === 'text' && child.value) return splitMentions(child.value, targets);
    highlight(child, targets);
    return [child];
  });
}

/** A remark plugin marking @mentions of the given handles (lowercase) so a posted message shows whom it tells. */
export function remarkMentions(options: { targets: ReadonlyMap<string, MentionTarget> }) {
  return (tree: MarkdownNode) => {
    if (options.targets.size > 0) highlight(tree, options.targets);
  };
}
