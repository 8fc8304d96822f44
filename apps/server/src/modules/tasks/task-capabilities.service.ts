import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { listCapabilitiesOfTasks } from './task.repository.js';

export type TaskCapabilityService = ReturnType<typeof createTaskCapabilityService>;

/** What analytics reads of tasks' required capabilities (kept apart from task.service.ts, which is long enough). */
export function createTaskCapabilityService(context: ServiceContext) {
  return {
    /** Each task's required capabilities, sorted; tasks requiring none (or of another workspace) are left out. */
    async listCapabilitiesOfTasks(principal: Principal, taskIds: readonly string[]): Promise<Map<string, string[]>> {
      assertCan(principal, 'workspace:read');
      const byTask = new Map<string, string[]>();
      for (const row of await listCapabilitiesOfTasks(context.db, principal.workspaceId, taskIds)) {
        byTask.set(row.taskId, [...(byTask.get(row.taskId) ?? []), row.capability].sort());
      }
      return byTask;
    },
  };
}
