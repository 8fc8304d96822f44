import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { Dialog } from '../../components/dialog';
import { makeAgent, makeMember, testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { toDirectory } from '../people/people-api';
import { findMentionQuery, insertMention, matchMentionCandidates } from './mention';
import { draftKey, MessageEditor } from './message-editor';

const agents = [
  makeAgent({ name: 'alpha', role: 'research' }),
  makeAgent({ name: 'albatross', role: 'writer' }),
  makeAgent({ name: 'bravo', role: 'review' }),
];
const members = [makeMember('Ada Lovelace', 'ada@example.com')];

describe('mention parsing', () => {
  it('finds the mention being typed at the caret', () => {
    expect(findMentionQuery('hello @al', 9)).toEqual({ start: 6, query: 'al' });
    expect(findMentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(findMentionQuery('(@br', 4)).toEqual({ start: 1, query: 'br' });
  });

  it('ignores an @ inside a word such as an email address', () => {
    expect(findMentionQuery('mail ada@example', 16)).toBeNull();
    expect(findMentionQuery('no mention here', 5)).toBeNull();
  });

  it('ranks handles that start with the query before those that contain it', () => {
    const directory = toDirectory(agents, members);
    expect(matchMentionCandidates(directory, 'al').map((entry) => entry.handle)).toEqual(['alpha', 'albatross']);
    expect(matchMentionCandidates(directory, 'ro').map((entry) => entry.handle)).toEqual(['albatross']);
    expect(matchMentionCandidates(directory, 'ada').map((entry) => entry.handle)).toEqual(['ada']);
    // A word of the name finds the person whose handle is something else (defect 10: "@ow" finds Owner).
    expect(matchMentionCandidates(directory, 'love').map((entry) => entry.handle)).toEqual(['ada']);
    expect(matchMentionCandidates(directory, 'vel').map((entry) => entry.handle)).toEqual([]);
    expect(matchMentionCandidates(directory, 'Ada L').map((entry) => entry.handle)).toEqual(['ada']);
  });

  it('finds the demo owner by name: "@ow" offers Owner, whose handle is @demo (defect 10)', () => {
    const directory = toDirectory(agents, [makeMember('Owner', 'demo@mission.local')]);
    expect(matchMentionCandidates(directory, 'ow').map((entry) => [entry.name, entry.handle])).toEqual([['Owner', 'demo']]);
  });

  it('replaces the typed query with the handle and a space', () => {
    expect(insertMention('hi @al there', { start: 3, query: 'al' }, 6, 'alpha')).toEqual({ text: 'hi @alpha there', caret: 10 });
  });
});

describe('MessageEditor mention autocomplete', () => {
  const taskId = testId();
  beforeEach(() => localStorage.clear());
  const routes = {
    'GET /agents': () => ({ status: 200, body: { data: agents, nextCursor: null } }),
    'GET /members': () => ({ status: 200, body: { data: members } }),
  };

  it('offers matching agents and people after @ and inserts the chosen one with the keyboard', async () => {
    const user = userEvent.setup();
    renderWithApp(<MessageEditor taskId={taskId} />, routes);
    const textarea = screen.getByRole('combobox');
    await waitFor(() => expect(screen.queryByText('Loading')).toBeNull());
    await user.click(textarea);
    await user.type(textarea, 'ping @alb');
    const listbox = await screen.findByRole('listbox', { name: 'Mention' });
    const options = screen.getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual(['albatross @albatross agent']);
    expect(listbox).toBeTruthy();
    await user.keyboard('{Backspace}');
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(['alpha @alpha agent', 'albatross @albatross agent']);
    expect(screen.getAllByRole('option')[0]?.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowDown}');
    expect(screen.getAllByRole('option')[1]?.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{Enter}');
    expect((textarea as HTMLTextAreaElement).value).toBe('ping @albatross ');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('closes the list on Escape and keeps the text', async () => {
    const user = userEvent.setup();
    renderWithApp(<MessageEditor taskId={taskId} />, routes);
    const textarea = screen.getByRole('combobox');
    await user.click(textarea);
    await user.type(textarea, '@br');
    await screen.findByRole('listbox');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect((textarea as HTMLTextAreaElement).value).toBe('@br');
  });

  it('posts the message with the mention to the task thread', async () => {
    const user = userEvent.setup();
    const posted: unknown[] = [];
    const { calls } = renderWithApp(<MessageEditor taskId={taskId} />, {
      ...routes,
      [`POST /tasks/${taskId}/messages`]: ({ body }) => {
        posted.push(body);
        return {
          status: 201,
          body: {
            id: testId(),
            workspaceId: agents[0]?.workspaceId,
            taskId,
            author: { kind: 'user', id: testId() },
            content: 'hi @bravo',
            type: 'comment',
            replyToId: null,
            attachments: [],
            reactions: [],
            createdAt: '2026-01-01T09:00:00.000Z',
          },
        };
      },
    });
    const textarea = screen.getByRole('combobox');
    await user.click(textarea);
    await user.type(textarea, 'hi @bra');
    await screen.findByRole('listbox');
    await user.keyboard('{Tab}');
    fireEvent.submit(textarea.closest('form') as HTMLFormElement);
    await waitFor(() => expect(posted).toEqual([{ content: 'hi @bravo ' }]));
    await waitFor(() => expect((textarea as HTMLTextAreaElement).value).toBe(''));
    expect(calls.some((call) => call.method === 'POST')).toBe(true);
  });

  it('keeps Escape for a mention with no match instead of closing the drawer around it (defect 5)', async () => {
    const user = userEvent.setup();
    let closed = 0;
    renderWithApp(
      <Dialog open onOpenChange={() => (closed += 1)} title="TASK-1">
        <MessageEditor taskId={taskId} />
      </Dialog>,
      routes,
    );
    const textarea = screen.getByRole('combobox');
    await user.click(textarea);
    await user.type(textarea, 'see @zzz');
    expect(screen.queryByRole('listbox')).toBeNull();
    await user.keyboard('{Escape}');
    expect(closed).toBe(0);
    expect(screen.getByRole('dialog')).toBeTruthy();
    // Once the mention is set aside, Escape closes the drawer as usual.
    await user.keyboard('{Escape}');
    expect(closed).toBe(1);
  });

  it('keeps the draft per task when the editor goes away (defect 5)', async () => {
    const user = userEvent.setup();
    const first = renderWithApp(<MessageEditor taskId={taskId} />, routes);
    await user.type(screen.getByRole('combobox'), 'half a thought');
    first.unmount();
    expect(localStorage.getItem(draftKey(taskId))).toBe('half a thought');
    const again = renderWithApp(<MessageEditor taskId={taskId} />, routes);
    expect((again.getByRole('combobox') as HTMLTextAreaElement).value).toBe('half a thought');
    again.unmount();
    renderWithApp(<MessageEditor taskId={testId()} />, routes);
    expect((screen.getByRole('combobox') as HTMLTextAreaElement).value).toBe('');
  });
});
