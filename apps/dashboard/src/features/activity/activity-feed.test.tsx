import { describeDuration } from '@mission-control/contracts';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { eventLabel, plural, relativeTime } from '../../lib/format';
import { makeActivity, makeTask } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { TaskReferenceLink } from '../tasks/task-drawer';
import { ActivityRow, summaryAfterActor } from './activity-feed';

describe('words for people (defect 7)', () => {
  it('names the actor once, not "scripted-atlas agent scripted-atlas commented…"', () => {
    expect(summaryAfterActor('agent scripted-atlas commented on TASK-3', 'scripted-atlas')).toBe('commented on TASK-3');
    expect(summaryAfterActor('scripted-atlas commented on TASK-3', 'scripted-atlas')).toBe('commented on TASK-3');
    expect(summaryAfterActor('TASK-3 moved from review to done', 'scout')).toBe('TASK-3 moved from review to done');
  });

  it('shows event types, times and plurals in words', () => {
    expect(eventLabel('task-status-changed')).toBe('Task status changed');
    expect(plural(1, 'task')).toBe('1 task');
    expect(plural(3, 'task')).toBe('3 tasks');
    const now = Date.parse('2026-01-01T09:00:00.000Z');
    expect(relativeTime('2026-01-01T09:05:00.000Z', now)).toMatch(/5 min/);
    expect(relativeTime('2026-01-01T06:00:00.000Z', now)).toMatch(/3 hr|3 h/);
    expect(describeDuration(300_000)).toBe('5 min');
    expect(describeDuration(45_000)).toBe('45 s');
  });

  it('renders a feed row with the event in words and a link named by the task key', () => {
    const activity = makeActivity(4, {
      type: 'task-status-changed',
      taskId: makeTask().id,
      summary: 'agent scout TASK-4 moved from review to done',
      data: { key: 'TASK-4', from: 'review', to: 'done' },
    });
    renderWithApp(<ActivityRow activity={activity} actorName="scout" ago="2 min ago" />, {});
    expect(screen.getByText('Task status changed')).toBeTruthy();
    expect(screen.queryByText('task-status-changed')).toBeNull();
    expect(screen.getByText('TASK-4 moved from review to done')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open TASK-4' }).getAttribute('href')).toBe('/?task=TASK-4');
  });

  it('names a dependency or parent by key and title, not an id fragment', async () => {
    const task = makeTask({ key: 'TASK-9', number: 9, title: 'Write the brief', status: 'review' });
    renderWithApp(<TaskReferenceLink id={task.id} withStatus />, {
      [`GET /tasks/${task.id}`]: () => ({ status: 200, body: task }),
    });
    expect(await screen.findByRole('link', { name: 'TASK-9' })).toBeTruthy();
    expect(screen.getByText('Write the brief')).toBeTruthy();
    expect(screen.getByText('Review')).toBeTruthy();
  });
});
