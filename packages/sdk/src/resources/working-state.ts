import {
  pageSchema,
  type WorkingState,
  type WorkingStateVersion,
  type WorkingStateVersionSummary,
  workingStateSchema,
  workingStateVersionSchema,
  workingStateVersionSummarySchema,
} from '@mission-control/contracts';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** What `workingState.update` takes. */
export interface UpdateWorkingStateOptions {
  /** The new notes section (markdown); replaces the current notes. */
  notes: string;
  /** The version you read and edited; the server answers 412 PRECONDITION_FAILED when someone wrote since. */
  version: number;
}

/** The shared WORKING.md (`/state/working-md`). */
export class WorkingStateResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.workingState`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Reads the working state: the rendered markdown, the notes and their version. */
  get(): Promise<WorkingState> {
    return this.context.transport.request({ method: 'GET', path: '/state/working-md', schema: workingStateSchema });
  }

  /** Reads the rendered WORKING.md as raw markdown. */
  getMarkdown(): Promise<string> {
    return this.context.transport.requestText({ method: 'GET', path: '/state/working-md', headers: { accept: 'text/markdown' } });
  }

  /** Replaces the notes, sending If-Match with the version you edited (412 when it is no longer current). */
  update(options: UpdateWorkingStateOptions): Promise<WorkingState> {
    return this.context.transport.request({
      method: 'PUT',
      path: '/state/working-md',
      headers: { 'if-match': `"${options.version}"` },
      body: { notes: options.notes },
      schema: workingStateSchema,
    });
  }

  /** Lists every version of the notes, newest first. */
  listVersions(options: { limit?: number } = {}): PageIterator<WorkingStateVersionSummary> {
    return new PageIterator((cursor) =>
      this.context.transport.request({
        method: 'GET',
        path: '/state/working-md/versions',
        query: { ...options, cursor },
        schema: pageSchema(workingStateVersionSummarySchema),
      }),
    );
  }

  /** Fetches one version of the notes. */
  getVersion(version: number): Promise<WorkingStateVersion> {
    return this.context.transport.request({
      method: 'GET',
      path: `/state/working-md/versions/${version}`,
      schema: workingStateVersionSchema,
    });
  }

  /** Makes an old version's notes current again; pass the current version you looked at. */
  restoreVersion(version: number, currentVersion: number): Promise<WorkingState> {
    return this.context.transport.request({
      method: 'POST',
      path: `/state/working-md/versions/${version}/restore`,
      headers: { 'if-match': `"${currentVersion}"` },
      schema: workingStateSchema,
    });
  }
}
