import { describe, expect, it } from 'vitest';
import { boardColumns, canTransitionTask, listTasksQuerySchema, replaceTaskSchema, taskStatusSchema, taskTransitions } from './tasks.js';

describe('the task state machine', () => {
  const statuses = taskStatusSchema.options;

  it('says where every status may go', () => {
    expect(Object.keys(taskTransitions).sort()).toEqual([...statuses].sort());
  });

  it('moves forward along the board one column at a time and never skips to review or done from the inbox', () => {
    expect(canTransitionTask('inbox', 'assigned')).toBe(true);
    expect(canTransitionTask('assigned', 'in_progress')).toBe(true);
    expect(canTransitionTask('in_progress', 'review')).toBe(true);
    expect(canTransitionTask('review', 'done')).toBe(true);
    expect(canTransitionTask('inbox', 'review')).toBe(false);
    expect(canTransitionTask('inbox', 'done')).toBe(false);
  });

  it('lets work be sent back one step, reopened from done, and blocked or cancelled from any open state', () => {
    expect(canTransitionTask('review', 'in_progress')).toBe(true);
    expect(canTransitionTask('done', 'in_progress')).toBe(true);
    for (const open of ['inbox', 'assigned', 'in_progress', 'review'] as const) {
      expect(canTransitionTask(open, 'blocked'), open).toBe(true);
      expect(canTransitionTask(open, 'cancelled'), open).toBe(true);
    }
  });

  it('fails only work in progress, and never moves a status to itself', () => {
    for (const status of statuses) {
      expect(canTransitionTask(status, status), status).toBe(false);
      expect(canTransitionTask(status, 'failed'), status).toBe(status === 'in_progress');
    }
  });

  it('keeps the board columns in order', () => {
    expect(boardColumns).toEqual(['inbox', 'assigned', 'in_progress', 'review', 'done']);
  });
});

describe('task inputs', () => {
  it('takes one status or several, comma separated or as a list', () => {
    expect(listTasksQuerySchema.parse({ status: 'inbox,review' }).status).toEqual(['inbox', 'review']);
    expect(listTasksQuerySchema.parse({ status: ['done'] }).status).toEqual(['done']);
    expect(listTasksQuerySchema.safeParse({ status: 'inbox,nope' }).success).toBe(false);
    expect(listTasksQuerySchema.parse({ limit: '20' }).limit).toBe(20);
  });

  it('fills a full replacement with the defaults of the fields left out', () => {
    expect(replaceTaskSchema.parse({ title: 'Write' })).toEqual({
      title: 'Write',
      description: '',
      priority: 'medium',
      parentId: null,
      dependencyIds: [],
      requiredCapabilities: [],
      dueAt: null,
    });
    expect(replaceTaskSchema.safeParse({}).success).toBe(false);
  });
});
