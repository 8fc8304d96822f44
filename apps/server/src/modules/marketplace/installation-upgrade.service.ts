import { isDeepStrictEqual } from 'node:util';
import type { AgentTemplate, Installation, InstalledItem, ListingContent, UpgradeChange, UpgradePreview } from '@mission-control/contracts';
import { updateAgentRuntimeSchema, updateAgentSchema, updateSkillSchema } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { runInOneTransaction } from '../../db/request-transaction.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { updateInstallationRow } from './installation.repository.js';
import type { InstallationService, InstallationServiceDependencies } from './installation.service.js';
import { readInstalledItems } from './installation.service.js';
import {
  createAgentFromTemplate,
  createSkillFromTemplate,
  createWorkflowFromTemplate,
  type InstallationItemDependencies,
} from './installation-items.js';

type ItemKind = InstalledItem['kind'];
type FieldValues = Record<string, unknown>;

/** The fields of an agent template an upgrade compares, as the template gives them. */
function agentFields(template: AgentTemplate): FieldValues {
  return {
    role: template.role,
    capabilities: template.capabilities,
    memoryContext: template.memoryContext,
    heartbeatIntervalSeconds: template.heartbeatIntervalSeconds,
    concurrencyLimit: template.concurrencyLimit,
    ...(template.runtime
      ? {
          'runtime.model': template.runtime.model,
          'runtime.provider': template.runtime.provider,
          'runtime.temperature': template.runtime.temperature,
          'runtime.stepLimit': template.runtime.stepLimit,
          'runtime.instructions': template.runtime.instructions,
        }
      : {}),
  };
}

/** Each template of a version by kind and template name, with the fields an upgrade compares. */
function templateFields(content: ListingContent): Map<string, { kind: ItemKind; name: string; fields: FieldValues }> {
  const templates = new Map<string, { kind: ItemKind; name: string; fields: FieldValues }>();
  for (const agent of content.agents) templates.set(`agent:${agent.name}`, { kind: 'agent', name: agent.name, fields: agentFields(agent) });
  for (const skill of content.skills) {
    templates.set(`skill:${skill.name}`, {
      kind: 'skill',
      name: skill.name,
      fields: { description: skill.description, body: skill.body, capabilities: skill.capabilities },
    });
  }
  for (const workflow of content.workflows) {
    const { name, ...definition } = workflow.definition;
    templates.set(`workflow:${name}`, { kind: 'workflow', name, fields: { definition } });
  }
  return templates;
}

/**
 * Upgrades by three-way merge, field by field: the version installed is the base, the workspace's
 * item is "yours", the new version is "theirs". A field you never changed takes the new value; a
 * field you changed keeps yours, whatever the new version says; a new template is added.
 */
export class InstallationUpgradeService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: InstallationServiceDependencies,
    private readonly installations: Pick<InstallationService, 'requireInstallation' | 'requireActive' | 'toInstallation'>,
  ) {}

  /** The values of an installed item's fields in the workspace now; undefined when it was deleted. */
  private async readCurrentFields(principal: Principal, item: InstalledItem): Promise<FieldValues | undefined> {
    try {
      if (item.kind === 'agent') {
        const agent = await this.dependencies.agents.getAgent(principal, item.id);
        const runtime = await this.dependencies.agentRuntimeSettings.getRuntime(principal, item.id);
        return {
          role: agent.role,
          capabilities: agent.capabilities,
          memoryContext: agent.memoryContext,
          heartbeatIntervalSeconds: agent.heartbeatIntervalSeconds,
          concurrencyLimit: agent.concurrencyLimit,
          'runtime.model': runtime.model,
          'runtime.provider': runtime.provider,
          'runtime.temperature': runtime.temperature,
          'runtime.stepLimit': runtime.stepLimit,
          'runtime.instructions': runtime.instructions,
        };
      }
      if (item.kind === 'skill') {
        const skill = await this.dependencies.skills.getSkill(principal, item.id);
        return { description: skill.description, body: skill.body, capabilities: skill.capabilities };
      }
      const { name: _name, ...definition } = (await this.dependencies.workflows.getWorkflow(principal, item.id)).definition;
      return { definition };
    } catch (error) {
      if (error instanceof AppError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  private async loadPlan(principal: Principal, installationId: string, version: string) {
    const row = await this.installations.requireInstallation(principal, installationId);
    this.installations.requireActive(row);
    const viewer = await this.dependencies.listings.viewerOf(principal);
    const listing = await this.dependencies.listings.requireVisibleListing(viewer, row.listing_id);
    const installed = await this.dependencies.listings.readVersionContent(listing, row.version);
    const next = await this.dependencies.listings.readVersionContent(listing, version);
    const items = readInstalledItems(row);
    const base = templateFields(installed.content);
    const changes: UpgradeChange[] = [];
    for (const [key, template] of templateFields(next.content)) {
      const item = items.find((candidate) => `${candidate.kind}:${candidate.templateName}` === key);
      if (!item) {
        changes.push({
          item: { kind: template.kind, name: template.name, id: null },
          field: '*',
          installed: null,
          current: null,
          next: template.fields,
          outcome: 'add',
        });
        continue;
      }
      const current = await this.readCurrentFields(principal, item);
      // Deleted in the workspace: that is the workspace's change, and it stays.
      if (!current) continue;
      const baseFields = base.get(key)?.fields ?? {};
      for (const [field, nextValue] of Object.entries(template.fields)) {
        const baseValue = baseFields[field];
        if (isDeepStrictEqual(baseValue, nextValue)) continue;
        const yours = current[field];
        changes.push({
          item: { kind: item.kind, name: item.name, id: item.id },
          field,
          installed: baseValue ?? null,
          current: yours ?? null,
          next: nextValue,
          outcome: isDeepStrictEqual(yours, baseValue) ? 'update' : 'keep-yours',
        });
      }
    }
    return { row, listing, next, items, changes };
  }

  async previewUpgrade(principal: Principal, installationId: string, version: string): Promise<UpgradePreview> {
    const plan = await this.loadPlan(principal, installationId, version);
    return { from: plan.row.version, to: plan.next.version, changes: plan.changes };
  }

  async upgradeInstallation(principal: Principal, installationId: string, version: string): Promise<Installation> {
    assertCan(principal, 'agent:manage');
    const plan = await this.loadPlan(principal, installationId, version);
    const items = [...plan.items];
    const changed = new Map<string, InstalledItem>();
    await runInOneTransaction(this.context.db, async () => {
      const updates = plan.changes.filter((change) => change.outcome === 'update');
      for (const item of items) {
        const fields = Object.fromEntries(
          updates.filter((change) => change.item.id === item.id).map((change) => [change.field, change.next]),
        );
        if (Object.keys(fields).length === 0) continue;
        await this.applyFields(principal, item, fields);
        changed.set(item.id, item);
      }
      for (const change of plan.changes.filter((candidate) => candidate.outcome === 'add')) {
        const added = await this.addTemplate(principal, plan.next.content, change.item.kind, change.item.name);
        items.push(added);
        changed.set(added.id, added);
      }
      const now = this.context.clock.now();
      await updateInstallationRow(this.context.db, plan.row.id, {
        version: plan.next.version,
        items: JSON.stringify(items),
        updated_at: now.toISOString(),
      });
      await appendEvent(this.context.db, {
        workspaceId: principal.workspaceId,
        type: 'listing-upgraded',
        actor: toPrincipalReference(principal),
        summary: `${plan.listing.title} was upgraded from ${plan.row.version} to ${plan.next.version}`,
        data: {
          installationId: plan.row.id,
          listingId: plan.listing.id,
          title: plan.listing.title,
          from: plan.row.version,
          to: plan.next.version,
          items: [...changed.values()].map(({ kind, id, name }) => ({ kind, id, name })),
        },
        at: now,
      });
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'listing.upgraded',
        targetKind: 'listing',
        targetId: plan.listing.id,
        summary: `${plan.listing.title} upgraded from ${plan.row.version} to ${plan.next.version}; ${plan.changes.filter((change) => change.outcome === 'keep-yours').length} of your changes kept`,
        before: { version: plan.row.version },
        after: { version: plan.next.version },
      });
    });
    return this.installations.toInstallation(await this.installations.requireInstallation(principal, installationId));
  }

  private async applyFields(principal: Principal, item: InstalledItem, fields: FieldValues): Promise<void> {
    const dependencies: InstallationItemDependencies = this.dependencies;
    if (item.kind === 'skill') {
      await dependencies.skills.updateSkill(principal, item.id, updateSkillSchema.parse(fields));
      return;
    }
    if (item.kind === 'workflow') {
      const current = await dependencies.workflows.getWorkflow(principal, item.id);
      await dependencies.workflows.updateWorkflow(principal, item.id, { ...(fields.definition as object), name: current.name });
      return;
    }
    const runtime = Object.fromEntries(
      Object.entries(fields)
        .filter(([field]) => field.startsWith('runtime.'))
        .map(([field, value]) => [field.slice('runtime.'.length), value]),
    );
    const agent = Object.fromEntries(Object.entries(fields).filter(([field]) => !field.startsWith('runtime.')));
    if (Object.keys(agent).length > 0) await dependencies.agents.updateAgent(principal, item.id, updateAgentSchema.parse(agent));
    if (Object.keys(runtime).length > 0)
      await dependencies.agentRuntimeSettings.updateRuntime(principal, item.id, updateAgentRuntimeSchema.parse(runtime));
  }

  private addTemplate(principal: Principal, content: ListingContent, kind: ItemKind, name: string): Promise<InstalledItem> {
    if (kind === 'agent') {
      const template = content.agents.find((agent) => agent.name === name);
      if (template) return createAgentFromTemplate(this.dependencies, principal, template, '');
    } else if (kind === 'skill') {
      const template = content.skills.find((skill) => skill.name === name);
      if (template) return createSkillFromTemplate(this.dependencies, principal, template);
    } else {
      const template = content.workflows.find((workflow) => workflow.definition.name === name);
      if (template) return createWorkflowFromTemplate(this.dependencies, principal, template);
    }
    throw new Error(`The template ${kind} ${name} vanished from the version being installed.`);
  }
}
