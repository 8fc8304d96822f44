import type { Agent, AnalyticsOverview, Member, Overview, Task, WipLimits, Workspace } from '@mission-control/contracts';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '../../lib/query-keys';
import { makeAgent, makeTask, workspaceId } from '../../test/fixtures';
import { createFakeFetch, createTestQueryClient, createTestServices, Providers } from '../../test/render-with-app';
import { QuickStats } from '../stats/quick-stats';
import { Board, dropHintsFor } from './board';

function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.search}</output>;
}

function setup(
  ui: React.ReactNode,
  data: { board?: Task[]; agents?: Agent[]; overview?: Overview; analytics?: AnalyticsOverview; entry?: string; wipLimits?: WipLimits },
) {
  const fake = createFakeFetch({ 'GET /activities': () => ({ status: 200, body: { data: [], nextCursor: null } }) });
  const services = createTestServices(fake.fetch);
  const queryClient = createTestQueryClient();
  queryClient.setQueryData(queryKeys.board, data.board ?? []);
  queryClient.setQueryData(queryKeys.agents, data.agents ?? []);
  queryClient.setQueryData<Member[]>(queryKeys.members, []);
  if (data.wipLimits) {
    const workspace: Workspace = {
      id: workspaceId,
      name: 'Acme',
      slug: 'acme',
      taskKeyPrefix: 'TASK',
      wipLimits: data.wipLimits,
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    queryClient.setQueryData(queryKeys.workspace, workspace);
  }
  if (data.overview) queryClient.setQueryData(queryKeys.overview, data.overview);
  if (data.analytics) queryClient.setQueryData(queryKeys.analyticsOverview, data.analytics);
  render(
    <Providers services={services} queryClient={queryClient} {...(data.entry ? { initialEntries: [data.entry] } : {})}>
      {ui}
      <Location />
    </Providers>,
  );
  return { queryClient };
}

const overview = (overrides: Partial<Overview> = {}): Overview => ({
  tasksByStatus: { inbox: 2, assigned: 1, in_progress: 3, review: 0, done: 4, blocked: 1, failed: 2, cancelled: 5 },
  needsAttention: 3,
  agents: [],
  activeAgents: 3,
  totalAgents: 5,
  messagesSince: 6,
  since: '2026-01-01T00:00:00.000Z',
  generatedAt: '2026-01-01T09:00:00.000Z',
  ...overrides,
});

const analyticsOverview: AnalyticsOverview = {
  asOf: '2026-01-01T09:00:00.000Z',
  timeZone: 'UTC',
  todayStartsAt: '2026-01-01T00:00:00.000Z',
  monthStartsAt: '2026-01-01T00:00:00.000Z',
  tasks: { inbox: 2, assigned: 1, in_progress: 3, review: 0, done: 4, blocked: 1, failed: 2, cancelled: 5, total: 18 },
  agents: { total: 5, online: 4, idle: 1, active: 3, blocked: 0, offline: 1 },
  messagesToday: 6,
  eventsToday: 40,
  openApprovals: 0,
  spend: { todayMicroDollars: 0, monthMicroDollars: 0, tokensToday: 0, tokensMonth: 0 },
};

describe('the board', () => {
  it('shows blocked and failed tasks in a strip above the columns, with counts (defect 2)', () => {
    const blocked = makeTask({ status: 'blocked', title: 'Waiting for the vendor' });
    const failed = makeTask({ status: 'failed', title: 'Scrape crashed' });
    setup(<Board />, { board: [makeTask({ status: 'inbox' }), blocked, failed] });
    const strip = screen.getByTestId('attention-strip');
    expect(within(strip).getByTestId('attention-counts').textContent).toBe('1 blocked task · 1 failed task');
    expect(within(strip).getByText('Waiting for the vendor')).toBeTruthy();
    expect(within(strip).getByText('Scrape crashed')).toBeTruthy();
    expect(within(strip).getByText(/reassign it, send it back to the Inbox/)).toBeTruthy();
    expect(within(screen.getByTestId('column-inbox')).queryByText('Waiting for the vendor')).toBeNull();
  });

  it('opens a task when the card itself is clicked or Enter is pressed on it, with no link inside (defect 4)', async () => {
    const first = makeTask({ status: 'inbox', title: 'First', number: 2, key: 'TASK-2' });
    const second = makeTask({ status: 'inbox', title: 'Second', number: 1, key: 'TASK-1' });
    setup(<Board />, { board: [first, second] });
    const card = screen.getByTestId('task-card-TASK-2');
    expect(card.querySelector('a, button')).toBeNull();
    await userEvent.click(within(card).getByText('First'));
    expect(screen.getByTestId('location').textContent).toBe('?task=TASK-2');

    const other = screen.getByTestId('task-card-TASK-1');
    other.focus();
    fireEvent.keyDown(other, { key: 'Enter', code: 'Enter' });
    expect(screen.getByTestId('location').textContent).toBe('?task=TASK-1');
  });

  it('moves focus between cards with the arrow keys (defect 4)', () => {
    const inbox = makeTask({ status: 'inbox', key: 'TASK-5', number: 5 });
    const lower = makeTask({ status: 'inbox', key: 'TASK-4', number: 4 });
    const assigned = makeTask({ status: 'assigned', key: 'TASK-3', number: 3, assignees: [{ kind: 'agent', id: makeAgent().id }] });
    setup(<Board />, { board: [inbox, lower, assigned] });
    const top = screen.getByTestId('task-card-TASK-5');
    top.focus();
    fireEvent.keyDown(top, { key: 'ArrowDown', code: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId('task-card-TASK-4'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowRight', code: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByTestId('task-card-TASK-3'));
  });

  it('says which columns take a dragged card and why the others refuse it (defect 6)', () => {
    const hints = dropHintsFor(makeTask({ status: 'inbox', key: 'TASK-8' }));
    expect(hints.get('inbox')).toBeNull();
    expect(hints.get('assigned')).toEqual({ accepts: true });
    expect(hints.get('done')).toEqual({ accepts: false, reason: 'TASK-8 cannot move from Inbox to Done.' });
    expect(dropHintsFor(null).get('done')).toBeNull();
  });
});

describe('the board’s filters, kept in the URL (issue 18)', () => {
  const coder = makeAgent({ name: 'coder', capabilities: ['typescript'] });
  const tasks = () => [
    makeTask({ key: 'TASK-11', number: 11, title: 'Fix the pricing bug', priority: 'high', requiredCapabilities: ['typescript'] }),
    makeTask({
      key: 'TASK-12',
      number: 12,
      status: 'assigned',
      title: 'Review pricing copy',
      priority: 'high',
      assignees: [{ kind: 'agent', id: coder.id }],
    }),
    makeTask({ key: 'TASK-13', number: 13, title: 'Order stickers', priority: 'low' }),
  ];
  const shown = () => screen.queryAllByTestId(/^task-card-/).map((card) => card.dataset.testid?.replace('task-card-', ''));

  it('a shared link shows the same filtered board, says how many cards are hidden, and Clear filters shows them all', async () => {
    const user = userEvent.setup();
    setup(<Board />, { board: tasks(), agents: [coder], entry: '/?priority=high&q=pricing&task=TASK-12' });
    expect(shown().sort()).toEqual(['TASK-11', 'TASK-12']);
    expect((screen.getByLabelText('Priority') as HTMLSelectElement).value).toBe('high');
    expect((screen.getByLabelText('Search the board') as HTMLInputElement).value).toBe('pricing');
    expect(screen.getByTestId('board-hidden-count').textContent).toBe('1 card hidden by the filters.');

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(shown().sort()).toEqual(['TASK-11', 'TASK-12', 'TASK-13']);
    // Only the filters go: the open task stays open.
    expect(screen.getByTestId('location').textContent).toBe('?task=TASK-12');
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
  });

  it('puts each chosen filter in the URL: assignee, capability, priority and text', async () => {
    const user = userEvent.setup();
    setup(<Board />, { board: tasks(), agents: [coder] });
    await user.selectOptions(screen.getByLabelText('Needs capability'), 'typescript');
    expect(screen.getByTestId('location').textContent).toBe('?capability=typescript');
    expect(shown()).toEqual(['TASK-11']);
    expect(screen.getByTestId('board-hidden-count').textContent).toBe('2 cards hidden by the filters.');

    await user.selectOptions(screen.getByLabelText('Needs capability'), '');
    await user.selectOptions(screen.getByLabelText('Assignee'), 'coder');
    expect(screen.getByTestId('location').textContent).toBe(`?assignee=${coder.id}`);
    expect(shown()).toEqual(['TASK-12']);

    await user.selectOptions(screen.getByLabelText('Assignee'), 'Nobody yet');
    await user.selectOptions(screen.getByLabelText('Priority'), 'low');
    await user.type(screen.getByLabelText('Search the board'), 'sticker');
    expect(new URLSearchParams(screen.getByTestId('location').textContent ?? '').toString()).toBe('assignee=nobody&priority=low&q=sticker');
    expect(shown()).toEqual(['TASK-13']);
  });
});

describe('quick stats', () => {
  it('shows the server’s numbers from /analytics/overview: every status, active agents and messages today (defect 3)', () => {
    setup(<QuickStats />, { overview: overview(), analytics: analyticsOverview });
    expect(screen.getByTestId('stat-blocked').textContent).toBe('1');
    expect(screen.getByTestId('stat-failed').textContent).toBe('2');
    expect(screen.getByTestId('stat-cancelled').textContent).toBe('5');
    expect(screen.getByText('3/5')).toBeTruthy();
    expect(screen.getByText('6')).toBeTruthy();
  });
});

describe('WIP limits on the board', () => {
  const inProgress = (count: number, title = 'Work') =>
    Array.from({ length: count }, (_, index) => makeTask({ status: 'in_progress', title: `${title} ${index + 1}` }));

  it('shows the count against the limit under and at the limit, with no warning', () => {
    setup(<Board />, {
      board: [...inProgress(2), makeTask({ status: 'review' }), makeTask({ status: 'review' })],
      wipLimits: { in_progress: 3, review: 2 },
    });
    expect(screen.getByTestId('column-count-in_progress').textContent).toBe('2 / 3');
    expect(screen.getByTestId('column-count-review').textContent).toBe('2 / 2');
    expect(screen.queryByTestId('over-limit-in_progress')).toBeNull();
    expect(screen.queryByTestId('over-limit-review')).toBeNull();
    expect(screen.getByTestId('column-review').getAttribute('aria-label')).toBe('Review column, 2 tasks, limit 2');
    expect(screen.getByTestId('column-header-review').className).toContain('bg-ink');
  });

  it('warns in the header, in words and in the aria-label, over the limit', () => {
    setup(<Board />, { board: inProgress(5), wipLimits: { in_progress: 3 } });
    expect(screen.getByTestId('column-count-in_progress').textContent).toBe('5 / 3');
    expect(screen.getByTestId('over-limit-in_progress').textContent).toContain('Over limit by 2');
    expect(screen.getByTestId('column-in_progress').getAttribute('aria-label')).toBe(
      'In progress column, 5 tasks, limit 3, over limit by 2',
    );
    expect(screen.getByTestId('column-header-in_progress').className).toContain('bg-status-idle');
  });

  it('shows the plain count and no warning on a column without a limit', () => {
    setup(<Board />, { board: inProgress(5), wipLimits: { review: 1 } });
    expect(screen.getByTestId('column-count-in_progress').textContent).toBe('5');
    expect(screen.queryByTestId('over-limit-in_progress')).toBeNull();
    expect(screen.getByTestId('column-in_progress').getAttribute('aria-label')).toBe('In progress column, 5 tasks');
  });

  it('counts every task in the column against the limit, also those the filters hide', () => {
    const tasks = [...inProgress(2, 'Pricing page'), ...inProgress(2, 'Other')];
    setup(<Board />, { board: tasks, wipLimits: { in_progress: 3 }, entry: '/?q=pricing' });
    expect(within(screen.getByTestId('column-in_progress')).queryByText('Other 1')).toBeNull();
    expect(screen.getByTestId('column-count-in_progress').textContent).toBe('4 / 3');
    expect(screen.getByTestId('over-limit-in_progress').textContent).toContain('Over limit by 1');
  });
});
