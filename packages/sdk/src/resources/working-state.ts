import { endpoints, type WorkingState, type WorkingStateVersion, type WorkingStateVersionSummary } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** What `workingState.update` takes. */
export interface UpdateWorkingStateOptions {
  /** The new notes section (markdown); replaces the current notes. */
  notes: z.input<typeof endpoints.updateWorkingStateNotes.body>['notes'];
  /** The version you read and edited; the server answers 412 PRECONDITION_FAILED when someone wrote since. */
  version: number;
}

/** Page size of `workingState.listVersions`. */
export type ListWorkingStateVersionsOptions = Omit<z.input<typeof endpoints.listWorkingStateVersions.query>, 'cursor'>;

/** `3` → `"3"`, the form the server answers in the ETag. */
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

/** The shared WORKING.md: live state plus notes under optimistic concurrency. */
export class WorkingStateResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.workingState`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Reads the working state: the rendered markdown, the notes and their version. */
  get(): Promise<WorkingState> {
    return this.context.transport.call(endpoints.getWorkingState);
  }

  /** Reads the rendered WORKING.md as raw markdown. */
  getMarkdown(): Promise<string> {
    return this.context.transport.callForText(endpoints.getWorkingState, 'text/markdown');
  }

  /** Replaces the notes, sending If-Match with the version you edited (412 when it is no longer current). */
  update(options: UpdateWorkingStateOptions): Promise<WorkingState> {
    return this.context.transport.call(endpoints.updateWorkingStateNotes, {
      headers: ifMatch(options.version),
      body: { notes: options.notes },
    });
  }

  /** Lists every version of the notes, newest first. */
  listVersions(options: ListWorkingStateVersionsOptions = {}): PageIterator<WorkingStateVersionSummary> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listWorkingStateVersions, { query: { ...options, cursor } }));
  }

  /** Fetches one version of the notes. */
  getVersion(version: number): Promise<WorkingStateVersion> {
    return this.context.transport.call(endpoints.getWorkingStateVersion, { params: { version } });
  }

  /** Makes an old version's notes current again; pass the current version you looked at. */
  restoreVersion(version: number, currentVersion: number): Promise<WorkingState> {
    return this.context.transport.call(endpoints.restoreWorkingStateVersion, { params: { version }, headers: ifMatch(currentVersion) });
  }
}
