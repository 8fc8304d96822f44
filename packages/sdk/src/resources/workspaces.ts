import { endpoints, type Member, type Workspace, type WorkspaceRole } from '@mission-control/contracts';
import type { z } from 'zod';
import type { ResourceContext } from './auth.js';

/** Workspaces of the caller (`/workspace`, `/workspaces`). */
export class WorkspacesResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.workspaces`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** The workspace the credential works in. */
  current(): Promise<Workspace> {
    return this.context.transport.call(endpoints.getWorkspace);
  }

  /** Renames the current workspace or changes its WIP limits (null clears a column's); owners and admins. */
  update(input: z.input<typeof endpoints.updateWorkspace.body>): Promise<Workspace> {
    return this.context.transport.call(endpoints.updateWorkspace, { body: input });
  }

  /** Every workspace the signed-in user belongs to, with the role in each. */
  async list(): Promise<{ workspace: Workspace; role: WorkspaceRole }[]> {
    return (await this.context.transport.call(endpoints.listWorkspaces)).data;
  }

  /** Creates a workspace owned by the signed-in user. */
  create(input: z.input<typeof endpoints.createWorkspace.body>): Promise<Workspace> {
    return this.context.transport.call(endpoints.createWorkspace, { body: input });
  }
}

/** People in the current workspace (`/members`); they join through `client.invitations`. */
export class MembersResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.members`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists the workspace's members with their roles. */
  async list(): Promise<Member[]> {
    return (await this.context.transport.call(endpoints.listMembers)).data;
  }

  /** Changes a member's role. */
  updateRole(userId: string, role: WorkspaceRole): Promise<Member> {
    return this.context.transport.call(endpoints.updateMember, { params: { userId }, body: { role } });
  }

  /** Removes a member from the workspace. */
  async remove(userId: string): Promise<void> {
    await this.context.transport.call(endpoints.removeMember, { params: { userId } });
  }
}
