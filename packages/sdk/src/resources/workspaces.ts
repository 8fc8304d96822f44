import {
  type CustomRole,
  endpoints,
  type Member,
  type RetentionSettings,
  type RoleList,
  type Workspace,
  type WorkspaceRole,
} from '@mission-control/contracts';
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

  /** How long the workspace keeps task messages and run transcripts (null: forever). */
  retention(): Promise<RetentionSettings> {
    return this.context.transport.call(endpoints.getRetentionSettings);
  }

  /** Changes how long messages or run transcripts are kept; owners and admins. Older content is deleted for good by the hourly purge. */
  updateRetention(input: z.input<typeof endpoints.updateRetentionSettings.body>): Promise<RetentionSettings> {
    return this.context.transport.call(endpoints.updateRetentionSettings, { body: input });
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

  /** Gives a member a custom role (`client.roles`); the member keeps the built-in role it narrows. */
  giveCustomRole(userId: string, customRoleId: string): Promise<Member> {
    return this.context.transport.call(endpoints.updateMember, { params: { userId }, body: { customRoleId } });
  }

  /** Removes a member from the workspace. */
  async remove(userId: string): Promise<void> {
    await this.context.transport.call(endpoints.removeMember, { params: { userId } });
  }
}

/** The workspace's custom roles (`/roles`): built-in roles narrowed to named sets of permissions. */
export class RolesResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.roles`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** The built-in roles and the custom ones, with how many members hold each custom role. */
  list(): Promise<RoleList> {
    return this.context.transport.call(endpoints.listRoles);
  }

  /** Creates a custom role; owners and admins. */
  create(input: z.input<typeof endpoints.createRole.body>): Promise<CustomRole> {
    return this.context.transport.call(endpoints.createRole, { body: input });
  }

  /** Renames a custom role or changes its permissions; its holders get them at their next request. */
  update(roleId: string, input: z.input<typeof endpoints.updateRole.body>): Promise<CustomRole> {
    return this.context.transport.call(endpoints.updateRole, { params: { id: roleId }, body: input });
  }

  /** Deletes a custom role nobody holds. */
  delete(roleId: string): Promise<CustomRole> {
    return this.context.transport.call(endpoints.deleteRole, { params: { id: roleId } });
  }
}
