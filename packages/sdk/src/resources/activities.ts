import { type Activity, endpoints } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters and page size of the activity lists: their query without the cursor. */
export type ListActivitiesOptions = Omit<z.input<typeof endpoints.listActivities.query>, 'cursor'>;

/** The activity feed: every event of the workspace (`/activities`). */
export class ActivitiesResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.activities`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists the workspace's activity, newest first. */
  list(options: ListActivitiesOptions = {}): PageIterator<Activity> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listActivities, { query: { ...options, cursor } }));
  }

  /** Lists what one agent did or what concerned it. */
  listForAgent(agentId: string, options: ListActivitiesOptions = {}): PageIterator<Activity> {
    return new PageIterator((cursor) =>
      this.context.transport.call(endpoints.listAgentActivities, { params: { agentId }, query: { ...options, cursor } }),
    );
  }

  /** Lists the history of one task (id or key). */
  listForTask(taskReference: string, options: ListActivitiesOptions = {}): PageIterator<Activity> {
    return new PageIterator((cursor) =>
      this.context.transport.call(endpoints.listTaskActivities, { params: { taskId: taskReference }, query: { ...options, cursor } }),
    );
  }
}
