import {
  type createMemberSchema,
  type createWorkspaceSchema,
  type Member,
  memberSchema,
  type Workspace,
  type WorkspaceRole,
  workspaceMembershipSchema,
  workspaceSchema,
} from '@mission-control/contracts';
import { z } from 'zod';
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
    return this.context.transport.request({ method: 'GET', path: '/workspace', schema: workspaceSchema });
  }

  /** Every workspace the signed-in user belongs to, with the role in each. */
  async list(): Promise<{ workspace: Workspace; role: WorkspaceRole }[]> {
    const answer = await this.context.transport.request({
      method: 'GET',
      path: '/workspaces',
      schema: z.object({ data: z.array(workspaceMembershipSchema) }),
    });
    return answer.data;
  }

  /** Creates a workspace owned by the signed-in user. */
  create(input: z.input<typeof createWorkspaceSchema>): Promise<Workspace> {
    return this.context.transport.request({ method: 'POST', path: '/workspaces', body: input, schema: workspaceSchema });
  }
}

/** People in the current workspace (`/members`). */
export class MembersResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.members`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists the workspace's members with their roles. */
  async list(): Promise<Member[]> {
    const answer = await this.context.transport.request({
      method: 'GET',
      path: '/members',
      schema: z.object({ data: z.array(memberSchema) }),
    });
    return answer.data;
  }

  /** Adds a person (creating the account when the email is new; then a password is needed). */
  add(input: z.input<typeof createMemberSchema>): Promise<Member> {
    return this.context.transport.request({ method: 'POST', path: '/members', body: input, schema: memberSchema });
  }

  /** Changes a member's role. */
  updateRole(userId: string, role: WorkspaceRole): Promise<Member> {
    return this.context.transport.request({
      method: 'PATCH',
      path: `/members/${encodeURIComponent(userId)}`,
      body: { role },
      schema: memberSchema,
    });
  }

  /** Removes a member from the workspace. */
  async remove(userId: string): Promise<void> {
    await this.context.transport.request({
      method: 'DELETE',
      path: `/members/${encodeURIComponent(userId)}`,
      schema: z.undefined(),
      allowNoContent: true,
    });
  }
}
