import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  type Activity,
  type Agent,
  type ListWorkingStateVersionsQuery,
  maxPageSize,
  type Page,
  type Task,
  type TaskStatus,
  type WorkingState,
  type WorkingStateVersion,
  type WorkingStateVersionSummary,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { ActivityService } from '../activities/activity.service.js';
import type { AgentService } from '../agents/agent.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { defaultWorkingMarkdownLimits, renderWorkingMarkdown } from './render-working-markdown.js';
import {
  findLatestWorkingStateVersion,
  findWorkingStateVersion,
  insertWorkingStateVersion,
  listWorkingStateVersions,
  toWorkingStateVersion,
  toWorkingStateVersionSummary,
  type WorkingStateVersionRow,
} from './working-state.repository.js';

export interface WorkingStateServiceDependencies {
  agents: AgentService;
  tasks: TaskService;
  activities: ActivityService;
  workspaces: WorkspaceService;
}

export interface WorkingStateServiceOptions {
  /** Where WORKING.md is mirrored (the data directory). No mirroring when left out. */
  workingFileDirectory?: string | undefined;
  /** Least time between two event-triggered renders of one workspace's file. */
  mirrorIntervalMs?: number;
  /** Told when writing the mirror fails; the API keeps answering either way. */
  onMirrorError?: (error: unknown, workspaceId: string) => void;
}

/** Statuses read for the file: everything but cancelled work. */
const renderedStatuses: TaskStatus[] = ['inbox', 'assigned', 'in_progress', 'review', 'done', 'blocked', 'failed'];
/** A safety cap on how much of a huge board one render reads. */
const maxRenderedTasks = 5_000;
const slugPattern = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The mirror renders outside any request, on behalf of the system: a read-only principal of the
 * workspace, so it goes through the same services and permission checks as a viewer would.
 */
function systemReader(workspaceId: string): Principal {
  return { kind: 'user', id: '00000000-0000-0000-0000-000000000000', workspaceId, role: 'viewer', sessionId: null };
}

function preconditionRequired(currentVersion: number) {
  return new AppError(
    'PRECONDITION_REQUIRED',
    `Send If-Match with the version of the notes you edited, so a concurrent edit is never overwritten: the current one is If-Match: "${currentVersion}". GET /api/v1/state/working-md answers it as the version field and the ETag header.`,
    { currentVersion },
  );
}

function preconditionFailed(expectedVersion: number, current: WorkingStateVersionRow | undefined) {
  const currentVersion = current?.version ?? 0;
  return new AppError(
    'PRECONDITION_FAILED',
    `The notes changed since you read them: you sent If-Match "${expectedVersion}" but the current version is ${currentVersion}. Merge your edit into details.currentNotes and send it again with If-Match: "${currentVersion}".`,
    { currentVersion, currentNotes: current?.notes ?? '' },
  );
}

interface MirrorState {
  timer: NodeJS.Timeout | undefined;
  lastStartedAt: number;
  /** Renders of one workspace run one after another, so an older text never lands after a newer one. */
  chain: Promise<void>;
  lastWritten: string | undefined;
}

export type WorkingStateService = ReturnType<typeof createWorkingStateService>;

export function createWorkingStateService(
  context: ServiceContext,
  dependencies: WorkingStateServiceDependencies,
  options: WorkingStateServiceOptions = {},
) {
  const { db, clock } = context;
  const mirrorIntervalMs = options.mirrorIntervalMs ?? 2_000;
  const reportMirrorError =
    options.onMirrorError ??
    ((error: unknown, workspaceId: string) => {
      process.emitWarning(
        `Writing WORKING.md for workspace ${workspaceId} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  const mirrors = new Map<string, MirrorState>();
  const slugs = new Map<string, string>();
  let mirroringStopped = false;

  async function listAllAgents(principal: Principal): Promise<Agent[]> {
    const all: Agent[] = [];
    let cursor: string | undefined;
    do {
      const page = await dependencies.agents.listAgents(principal, { limit: maxPageSize, cursor });
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  async function listBoard(principal: Principal): Promise<Task[]> {
    const all: Task[] = [];
    let cursor: string | undefined;
    do {
      const page = await dependencies.tasks.listTasks(principal, { status: renderedStatuses, limit: maxPageSize, cursor });
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && all.length < maxRenderedTasks);
    return all;
  }

  /** Renders the whole file around the given notes version, reading the rest through the other modules' services. */
  async function render(principal: Principal, notesRow: WorkingStateVersionRow | undefined): Promise<WorkingState> {
    // Sequential on purpose: on SQLite every read shares one connection anyway.
    const agents = await listAllAgents(principal);
    const tasks = await listBoard(principal);
    // Notifications are addressed to one reader ("you were assigned…"); the shared file shows what happened.
    const activities: Activity[] = (
      await dependencies.activities.listActivities(principal, { limit: defaultWorkingMarkdownLimits.activities * 2 }, {})
    ).data
      .filter((activity) => activity.type !== 'notification-created')
      .slice(0, defaultWorkingMarkdownLimits.activities);
    const members = await dependencies.workspaces.listMembers(principal);
    const notes = notesRow?.notes ?? '';
    const changes = [activities[0]?.createdAt, notesRow?.created_at].filter((at): at is string => at !== undefined);
    const lastUpdated = changes.length > 0 ? new Date(Math.max(...changes.map((at) => Date.parse(at)))) : clock.now();
    const markdown = renderWorkingMarkdown({
      lastUpdated,
      agents,
      tasks,
      activities,
      // People by the name they chose (their email when they left it empty); agents are named from their profiles.
      userNames: new Map(members.map((member) => [member.user.id, member.user.name.trim() || member.user.email])),
      notes,
    });
    return {
      version: notesRow?.version ?? 0,
      markdown,
      notes,
      updatedAt: notesRow?.created_at ?? null,
      updatedBy: notesRow ? toWorkingStateVersion(notesRow).author : null,
    };
  }

  /**
   * Writes a new notes version if the caller edited the current one. Returns the written row, or
   * the current one when the notes did not change (no new version, no event).
   */
  async function writeNotes(
    principal: Principal,
    notes: string,
    expectedVersion: number | undefined,
    restoredFrom?: number,
  ): Promise<WorkingStateVersionRow | undefined> {
    if (expectedVersion === undefined) {
      throw preconditionRequired((await findLatestWorkingStateVersion(db, principal.workspaceId))?.version ?? 0);
    }
    const now = clock.now();
    const written = await db.transaction().execute(async (trx) => {
      const current = await findLatestWorkingStateVersion(trx, principal.workspaceId);
      const currentVersion = current?.version ?? 0;
      if (expectedVersion !== currentVersion) throw preconditionFailed(expectedVersion, current);
      if ((current?.notes ?? '') === notes) return { row: current, changed: false };
      const row: WorkingStateVersionRow = {
        workspace_id: principal.workspaceId,
        version: currentVersion + 1,
        notes,
        author_kind: principal.kind,
        author_id: principal.id,
        created_at: now.toISOString(),
      };
      if (!(await insertWorkingStateVersion(trx, row))) {
        // Another writer read the same version and committed first: the primary key let only one win.
        throw preconditionFailed(expectedVersion, await findLatestWorkingStateVersion(trx, principal.workspaceId));
      }
      await appendEvent(trx, {
        workspaceId: principal.workspaceId,
        type: 'working-state-updated',
        actor: toPrincipalReference(principal),
        summary:
          restoredFrom === undefined
            ? `WORKING.md notes updated to version ${row.version}`
            : `WORKING.md notes restored from version ${restoredFrom} as version ${row.version}`,
        data: {
          version: row.version,
          previousVersion: currentVersion,
          notesLength: notes.length,
          ...(restoredFrom === undefined ? {} : { restoredFrom }),
        },
        at: now,
      });
      return { row, changed: true };
    });
    if (written.changed) await mirrorNow(principal.workspaceId);
    return written.row;
  }

  async function workingFileOf(workspaceId: string): Promise<string | undefined> {
    const directory = options.workingFileDirectory;
    if (!directory) return undefined;
    let slug = slugs.get(workspaceId);
    if (!slug) {
      slug = (await dependencies.workspaces.requireWorkspace(workspaceId)).slug;
      slugs.set(workspaceId, slug);
    }
    // Slugs are validated on creation; checking again keeps a bad row from writing outside the directory.
    if (!slugPattern.test(slug)) throw new Error(`workspace slug "${slug}" is not a safe directory name`);
    return slug === 'default' ? path.join(directory, 'WORKING.md') : path.join(directory, 'workspaces', slug, 'WORKING.md');
  }

  async function writeMirror(workspaceId: string, state: MirrorState): Promise<void> {
    const file = await workingFileOf(workspaceId);
    if (!file) return;
    const principal = systemReader(workspaceId);
    const { markdown } = await render(principal, await findLatestWorkingStateVersion(db, workspaceId));
    if (markdown === state.lastWritten) return;
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Write then rename: a reader sees the old file or the new one, never half of one.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temporary, markdown, 'utf8');
      await fs.rename(temporary, file);
      state.lastWritten = markdown;
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
  }

  function mirrorStateOf(workspaceId: string): MirrorState {
    let state = mirrors.get(workspaceId);
    if (!state) {
      state = { timer: undefined, lastStartedAt: Number.NEGATIVE_INFINITY, chain: Promise.resolve(), lastWritten: undefined };
      mirrors.set(workspaceId, state);
    }
    return state;
  }

  /** Re-renders the workspace's file now (after any render already running) and resolves when it is written. */
  function mirrorNow(workspaceId: string): Promise<void> {
    if (!options.workingFileDirectory || mirroringStopped) return Promise.resolve();
    const state = mirrorStateOf(workspaceId);
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    state.lastStartedAt = clock.now().getTime();
    state.chain = state.chain.then(() => writeMirror(workspaceId, state)).catch((error: unknown) => reportMirrorError(error, workspaceId));
    return state.chain;
  }

  return {
    async getWorkingState(principal: Principal): Promise<WorkingState> {
      assertCan(principal, 'workspace:read');
      return render(principal, await findLatestWorkingStateVersion(db, principal.workspaceId));
    },

    /** Replaces the notes, only if the caller edited the current version (If-Match). */
    async updateNotes(principal: Principal, input: { notes: string; expectedVersion: number | undefined }): Promise<WorkingState> {
      assertCan(principal, 'work:write');
      return render(principal, await writeNotes(principal, input.notes, input.expectedVersion));
    },

    /** Makes an old version's notes current again, as a new version: history is never rewritten. */
    async restoreVersion(principal: Principal, version: number, expectedVersion: number | undefined): Promise<WorkingState> {
      assertCan(principal, 'work:write');
      const target = await findWorkingStateVersion(db, principal.workspaceId, version);
      if (!target) {
        throw new AppError(
          'WORKING_STATE_VERSION_NOT_FOUND',
          `The notes have no version ${version}. List the versions with GET /api/v1/state/working-md/versions.`,
        );
      }
      return render(principal, await writeNotes(principal, target.notes, expectedVersion, version));
    },

    async listVersions(principal: Principal, query: ListWorkingStateVersionsQuery): Promise<Page<WorkingStateVersionSummary>> {
      assertCan(principal, 'workspace:read');
      const rows = await listWorkingStateVersions(db, {
        workspaceId: principal.workspaceId,
        beforeVersion: decodeCursor(query.cursor, 'number'),
        limit: query.limit + 1,
      });
      return toPage(rows, query.limit, toWorkingStateVersionSummary, (row) => row.version);
    },

    async getVersion(principal: Principal, version: number): Promise<WorkingStateVersion> {
      assertCan(principal, 'workspace:read');
      const row = await findWorkingStateVersion(db, principal.workspaceId, version);
      if (!row) {
        throw new AppError(
          'WORKING_STATE_VERSION_NOT_FOUND',
          `The notes have no version ${version}. List the versions with GET /api/v1/state/working-md/versions.`,
        );
      }
      return toWorkingStateVersion(row);
    },

    mirrorNow,

    /**
     * Asks for the workspace's file to be re-rendered because something changed. Bursts are
     * coalesced: a workspace's file is rendered at most once per interval, always after the
     * last change asked for.
     */
    scheduleMirror(workspaceId: string): void {
      if (!options.workingFileDirectory || mirroringStopped) return;
      const state = mirrorStateOf(workspaceId);
      if (state.timer) return;
      const wait = Math.max(0, state.lastStartedAt + mirrorIntervalMs - clock.now().getTime());
      state.timer = setTimeout(() => {
        state.timer = undefined;
        void mirrorNow(workspaceId);
      }, wait);
      // A pending render must not keep the process alive on shutdown.
      state.timer.unref();
    },

    /** Runs every scheduled render now and waits for all writes: for shutdown and tests. */
    async flushMirrors(): Promise<void> {
      for (const [workspaceId, state] of mirrors) if (state.timer) void mirrorNow(workspaceId);
      await Promise.all([...mirrors.values()].map((state) => state.chain));
    },

    /** Cancels scheduled renders and waits for running ones; later requests no longer write the file. */
    async stopMirroring(): Promise<void> {
      mirroringStopped = true;
      for (const state of mirrors.values()) {
        if (state.timer) clearTimeout(state.timer);
        state.timer = undefined;
      }
      await Promise.all([...mirrors.values()].map((state) => state.chain));
    },
  };
}
