import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { WorkspaceService } from './workspace.service.js';

export async function workspaceRoutes(app: FastifyInstance, { workspaces }: { workspaces: WorkspaceService }): Promise<void> {
  registerEndpoint(app, endpoints.getWorkspace, async (request) => workspaces.requireWorkspace(request.principal.workspaceId));
  registerEndpoint(app, endpoints.updateWorkspace, async (request) => workspaces.updateWorkspace(request.principal, request.body));
  registerEndpoint(app, endpoints.listWorkspaces, async (request) => ({ data: await workspaces.listWorkspacesOfUser(request.principal) }));
  registerEndpoint(app, endpoints.createWorkspace, async (request) => workspaces.createWorkspace(request.principal, request.body));
  registerEndpoint(app, endpoints.listMembers, async (request) => ({ data: await workspaces.listMembers(request.principal) }));
  registerEndpoint(app, endpoints.updateMember, async (request) =>
    workspaces.updateMemberRole(request.principal, request.params.userId, request.body),
  );
  registerEndpoint(app, endpoints.removeMember, async (request) => {
    await workspaces.removeMember(request.principal, request.params.userId);
  });
}
