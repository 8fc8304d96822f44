import type { OrganizationRole } from '@mission-control/contracts';
import { organizationRoleSchema } from '@mission-control/contracts';
import type { ServiceContext } from '../../core/service-context.js';
import {
  findFirstOrganizationId,
  findOrganizationIdOfWorkspace,
  findOrganizationMember,
  findOrganizationNames,
  listOrganizationsOfUser,
} from './organization.repository.js';

/**
 * What other modules may ask about organisations without a principal of a workspace: which ones a
 * person belongs to, their names, and who administers the server. Server administrators are the
 * owners of the organisation the first start made (decision 0036): nothing else marks them, so
 * an owner makes someone an administrator by making them an owner there.
 */
export class OrganizationDirectory {
  constructor(private readonly context: ServiceContext) {}

  /** The organisations a person belongs to and their role in each, oldest first. */
  async listUserOrganizations(userId: string): Promise<{ id: string; name: string; role: OrganizationRole }[]> {
    const rows = await listOrganizationsOfUser(this.context.db, userId);
    return rows.map((row) => ({ id: row.id, name: row.name, role: organizationRoleSchema.parse(row.member_role) }));
  }

  /** Names by id; ids without an organisation are left out. */
  async findOrganizationNames(organizationIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await findOrganizationNames(this.context.db, [...new Set(organizationIds)]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** The organisation owning a workspace. */
  findOrganizationOfWorkspace(workspaceId: string): Promise<string | null> {
    return findOrganizationIdOfWorkspace(this.context.db, workspaceId);
  }

  /** Whether the person administers this server (moderation, disputes). */
  async isServerAdministrator(userId: string): Promise<boolean> {
    const organizationId = await findFirstOrganizationId(this.context.db);
    if (!organizationId) return false;
    const membership = await findOrganizationMember(this.context.db, organizationId, userId);
    return membership?.role === 'owner';
  }
}
