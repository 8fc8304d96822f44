import { type Activity, activitySchema, type EventType, pageSchema } from '@mission-control/contracts';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters and page size of the activity lists. */
export interface ListActivitiesOptions {
  type?: EventType;
  /** Items per page (1–200). */
  limit?: number;
}

/** The activity feed: every event of the workspace (`/activities`). */
export class ActivitiesResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.activities`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists the workspace's activity, newest first. */
  list(options: ListActivitiesOptions = {}): PageIterator<Activity> {
    return this.listAt('/activities', options);
  }

  /** Lists what one agent did or what concerned it. */
  listForAgent(agentId: string, options: ListActivitiesOptions = {}): PageIterator<Activity> {
    return this.listAt(`/activities/agent/${encodeURIComponent(agentId)}`, options);
  }

  /** Lists the history of one task (id or key). */
  listForTask(taskReference: string, options: ListActivitiesOptions = {}): PageIterator<Activity> {
    return this.listAt(`/activities/task/${encodeURIComponent(taskReference)}`, options);
  }

  private listAt(path: string, options: ListActivitiesOptions): PageIterator<Activity> {
    return new PageIterator((cursor) =>
      this.context.transport.request({ method: 'GET', path, query: { ...options, cursor }, schema: pageSchema(activitySchema) }),
    );
  }
}
