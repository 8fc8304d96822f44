import type { AgentTemplate, InstalledItem, ListingContent, ListingWorkflowTemplate, SkillTemplate } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { AppError } from '../../http/app-error.js';
import type { AgentRuntimeSettingsService } from '../agent-runtime/agent-runtime-settings.service.js';
import type { AgentService } from '../agents/agent.service.js';
import type { SkillService } from '../skills/skill.service.js';
import type { WorkflowService } from '../workflows/workflow.service.js';

/** The services an installation creates, changes and deletes things through. */
export interface InstallationItemDependencies {
  agents: Pick<AgentService, 'createAgent' | 'updateAgent' | 'deleteAgent' | 'getAgent' | 'isAgentNameTaken'>;
  agentRuntimeSettings: Pick<AgentRuntimeSettingsService, 'updateRuntime' | 'getRuntime'>;
  skills: Pick<SkillService, 'createSkill' | 'updateSkill' | 'deleteSkill' | 'getSkill'>;
  workflows: Pick<WorkflowService, 'createWorkflow' | 'updateWorkflow' | 'deleteWorkflow' | 'getWorkflow' | 'findLatestWorkflow'>;
}

/** The first of name, name-2, name-3 … that `isTaken` says is free. */
async function firstFreeName(name: string, maxLength: number, isTaken: (candidate: string) => Promise<boolean>): Promise<string> {
  for (let attempt = 1; attempt <= 100; attempt += 1) {
    const suffix = attempt === 1 ? '' : `-${attempt}`;
    const candidate = `${name.slice(0, maxLength - suffix.length)}${suffix}`;
    if (!(await isTaken(candidate))) return candidate;
  }
  throw new AppError('AGENT_NAME_TAKEN', `Every name from ${name} to ${name}-100 is taken in this workspace. Install with a namePrefix.`);
}

export async function createAgentFromTemplate(
  dependencies: InstallationItemDependencies,
  principal: Principal,
  template: AgentTemplate,
  namePrefix: string,
): Promise<InstalledItem> {
  const name = await firstFreeName(`${namePrefix}${template.name}`, 64, (candidate) =>
    dependencies.agents.isAgentNameTaken(principal, candidate),
  );
  const agent = await dependencies.agents.createAgent(principal, {
    name,
    role: template.role,
    kind: template.kind,
    capabilities: template.capabilities,
    memoryContext: template.memoryContext,
    heartbeatIntervalSeconds: template.heartbeatIntervalSeconds,
    concurrencyLimit: template.concurrencyLimit,
    a2a: { published: false },
  });
  if (template.runtime) {
    await dependencies.agentRuntimeSettings.updateRuntime(principal, agent.id, {
      runtime: template.runtime.runtime,
      provider: template.runtime.provider,
      model: template.runtime.model,
      temperature: template.runtime.temperature,
      stepLimit: template.runtime.stepLimit,
      instructions: template.runtime.instructions,
    });
  }
  return { kind: 'agent', id: agent.id, name: agent.name, templateName: template.name };
}

export async function createSkillFromTemplate(
  dependencies: InstallationItemDependencies,
  principal: Principal,
  template: SkillTemplate,
): Promise<InstalledItem> {
  const skill = await dependencies.skills.createSkill(principal, {
    name: template.name,
    description: template.description,
    body: template.body,
    capabilities: template.capabilities,
  });
  return { kind: 'skill', id: skill.id, name: skill.name, templateName: template.name };
}

export async function createWorkflowFromTemplate(
  dependencies: InstallationItemDependencies,
  principal: Principal,
  template: ListingWorkflowTemplate,
): Promise<InstalledItem> {
  const name = await firstFreeName(template.definition.name, 100, async (candidate) =>
    Boolean(await dependencies.workflows.findLatestWorkflow(principal.workspaceId, candidate)),
  );
  const workflow = await dependencies.workflows.createWorkflow(principal, { ...template.definition, name });
  return { kind: 'workflow', id: workflow.id, name: workflow.name, templateName: template.definition.name };
}

/** Creates everything of a version in the workspace: skills first, so agents that use them find them. */
export async function createItemsFromContent(
  dependencies: InstallationItemDependencies,
  principal: Principal,
  content: ListingContent,
  namePrefix: string,
): Promise<InstalledItem[]> {
  const items: InstalledItem[] = [];
  for (const skill of content.skills) items.push(await createSkillFromTemplate(dependencies, principal, skill));
  for (const workflow of content.workflows) items.push(await createWorkflowFromTemplate(dependencies, principal, workflow));
  for (const agent of content.agents) items.push(await createAgentFromTemplate(dependencies, principal, agent, namePrefix));
  return items;
}

/** Deletes what an installation created and still exists; something already deleted by hand is skipped. */
export async function deleteInstalledItem(
  dependencies: InstallationItemDependencies,
  principal: Principal,
  item: InstalledItem,
): Promise<boolean> {
  try {
    if (item.kind === 'agent') await dependencies.agents.deleteAgent(principal, item.id);
    else if (item.kind === 'skill') await dependencies.skills.deleteSkill(principal, item.id);
    else await dependencies.workflows.deleteWorkflow(principal, item.id);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) return false;
    throw error;
  }
}
