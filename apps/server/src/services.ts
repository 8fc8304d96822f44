import { createAccessTokenSigner } from './auth/access-token.js';
import { createAuthService } from './auth/auth.service.js';
import type { ServiceContext } from './core/service-context.js';
import { createActivityService } from './modules/activities/activity.service.js';
import { createAgentService } from './modules/agents/agent.service.js';
import { createNotificationService } from './modules/notifications/notification.service.js';
import { createTaskService } from './modules/tasks/task.service.js';
import { createWorkspaceService } from './modules/workspaces/workspace.service.js';

export interface ServiceOptions {
  signingKey: Uint8Array;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** Wires every service once; modules reach each other only through these. */
export function createServices(context: ServiceContext, options: ServiceOptions) {
  const auth = createAuthService(context, {
    signer: createAccessTokenSigner(options.signingKey, options.accessTokenTtlSeconds),
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds,
  });
  const workspaces = createWorkspaceService(context);
  const notifications = createNotificationService(context);
  const agents = createAgentService(context, { auth });
  const tasks = createTaskService(context, { agents, workspaces, notifications });
  const activities = createActivityService(context, { agents, tasks });
  return { context, auth, workspaces, notifications, agents, tasks, activities };
}

export type Services = ReturnType<typeof createServices>;
