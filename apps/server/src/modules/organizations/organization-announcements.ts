import type { AuditAction, EventDataInput } from '@mission-control/contracts';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import { listWorkspacesOfOrganization } from './organization.repository.js';

type OrganizationEventType = 'organization-updated' | 'team-created' | 'team-updated' | 'team-deleted';

/** A change to an organisation or one of its teams, as its workspaces' feeds and audit logs record it. */
export interface OrganizationAnnouncement<Type extends OrganizationEventType = OrganizationEventType> {
  type: Type;
  data: EventDataInput<Type>;
  summary: string;
  action: AuditAction;
  targetKind: 'organization' | 'team';
  targetId: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** The workspaces to tell; every workspace of the organisation when left out. */
  workspaceIds?: readonly string[];
}

/**
 * Appends the event and an audit entry to each workspace of the organisation, in the caller's
 * transaction: feeds, streams and audit logs are per workspace, and that is where people watch.
 */
export async function announceInOrganization<Type extends OrganizationEventType>(
  context: Pick<ServiceContext, 'clock'>,
  audit: Pick<AuditService, 'recordAuditEntry'>,
  executor: DatabaseExecutor,
  organizationId: string,
  actor: Principal,
  entry: OrganizationAnnouncement<Type>,
): Promise<void> {
  const workspaceIds =
    entry.workspaceIds ?? (await listWorkspacesOfOrganization(executor, organizationId)).map((workspace) => workspace.id);
  const now = context.clock.now();
  for (const workspaceId of workspaceIds) {
    await appendEvent(executor, {
      workspaceId,
      type: entry.type,
      actor: toPrincipalReference(actor),
      summary: entry.summary,
      data: entry.data,
      at: now,
    });
    await audit.recordAuditEntry(executor, {
      workspaceId,
      actor,
      action: entry.action,
      targetKind: entry.targetKind,
      targetId: entry.targetId,
      summary: entry.summary,
      ...(entry.before ? { before: entry.before } : {}),
      ...(entry.after ? { after: entry.after } : {}),
    });
  }
}
