import { describe, expect, it } from 'vitest';
import { emailHandle, extractMentions, resolveMentions } from './mentions.js';

describe('extractMentions', () => {
  it('finds handles lowercase, unique and in order of appearance', () => {
    expect(extractMentions('@Jarvis please ask @friday, then @jarvis again')).toEqual(['jarvis', 'friday']);
  });

  it('reads names with dots, dashes and underscores, and drops a sentence-ending dot', () => {
    expect(extractMentions('ping @code-bot_2 and @v1.5-agent. Thanks @shuri.')).toEqual(['code-bot_2', 'v1.5-agent', 'shuri']);
  });

  it('finds mentions after punctuation, brackets and markdown emphasis', () => {
    expect(extractMentions('(@a) [@b] **@c** _@d_ "@e", >@f')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('ignores email addresses, URL paths, escaped @ and a bare @', () => {
    expect(extractMentions('write to admin@mission.local, see https://x.dev/@scope/pkg, \\@nobody, or @ alone')).toEqual([]);
  });

  it('ignores mentions inside inline code spans, of any backtick length', () => {
    expect(extractMentions('use `@Injectable()` and ``a `@nested` span`` but ask @wong')).toEqual(['wong']);
  });

  it('treats an unclosed backtick as literal text', () => {
    expect(extractMentions('a stray ` then @loki')).toEqual(['loki']);
  });

  it('ignores mentions inside fenced code blocks of backticks and tildes', () => {
    const markdown = ['before @one', '```ts', '@Component({})', '```', '~~~~', '@decorator', '~~~ still inside', '~~~~', 'after @two'].join(
      '\n',
    );
    expect(extractMentions(markdown)).toEqual(['one', 'two']);
  });

  it('treats an unclosed fence as code until the end of the text', () => {
    expect(extractMentions('@seen\n```\n@hidden\nmore @hidden2')).toEqual(['seen']);
  });

  it('does not let a code span cross a blank line', () => {
    expect(extractMentions('a ` stray\n\n@vision then `')).toEqual(['vision']);
  });

  it('keeps @all as a handle', () => {
    expect(extractMentions('heads up @ALL')).toEqual(['all']);
  });
});

describe('resolveMentions', () => {
  const directory = {
    agents: [
      { id: 'agent-jarvis', name: 'Jarvis' },
      { id: 'agent-admin', name: 'admin' },
    ],
    members: [
      { id: 'user-admin', email: 'admin@mission.local' },
      { id: 'user-pepper', email: 'Pepper.Potts@stark.com' },
    ],
  };

  it('matches agents by name and people by the local part of their email, case-insensitively', () => {
    expect(resolveMentions(['jarvis', 'pepper.potts'], directory)).toEqual([
      { kind: 'agent', id: 'agent-jarvis' },
      { kind: 'user', id: 'user-pepper' },
    ]);
  });

  it('mentions both an agent and a person who share a handle', () => {
    expect(resolveMentions(['admin'], directory)).toEqual([
      { kind: 'agent', id: 'agent-admin' },
      { kind: 'user', id: 'user-admin' },
    ]);
  });

  it('resolves @all to every agent and member', () => {
    expect(resolveMentions(['all'], directory)).toHaveLength(4);
  });

  it('ignores unknown handles', () => {
    expect(resolveMentions(['ultron'], directory)).toEqual([]);
  });

  it('reads the handle of an email', () => {
    expect(emailHandle('Admin@Mission.Local')).toBe('admin');
  });
});
