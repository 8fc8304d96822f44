import type { AgentTemplate, ListingContent, ListingKind, ListingWorkflowTemplate, SkillTemplate } from '@mission-control/contracts';
import { listingContentSchema } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { AppError } from '../../http/app-error.js';
import type { AgentRuntimeSettingsService } from '../agent-runtime/agent-runtime-settings.service.js';
import type { AgentService } from '../agents/agent.service.js';
import type { SkillService } from '../skills/skill.service.js';
import type { WorkflowService } from '../workflows/workflow.service.js';
import { findContentProblems } from './content-scan.js';

/** One thing of a workspace a listing is built from. */
export interface ListingSource {
  kind: 'agent' | 'workflow' | 'skill';
  id: string;
}

export interface ListingContentDependencies {
  agents: Pick<AgentService, 'getAgent'>;
  agentRuntimeSettings: Pick<AgentRuntimeSettingsService, 'getRuntime'>;
  skills: Pick<SkillService, 'getSkill' | 'listAgentSkills'>;
  workflows: Pick<WorkflowService, 'getWorkflow'>;
}

/** The sources a create names, checked against its kind: one source of that kind, or a bundle's list. */
export function readListingSources(kind: ListingKind, sourceId: string | undefined, sourceIds: readonly ListingSource[] | undefined) {
  if (kind === 'bundle') {
    if (!sourceIds || sourceIds.length === 0 || sourceId) {
      throw new AppError('VALIDATION_FAILED', 'A bundle lists what it holds in sourceIds ([{kind, id}]), not sourceId.');
    }
    return [...new Map(sourceIds.map((source) => [`${source.kind}:${source.id}`, source])).values()];
  }
  if (!sourceId || sourceIds) {
    throw new AppError(
      'VALIDATION_FAILED',
      `A listing of kind ${kind} names the ${kind} to publish in sourceId (sourceIds is for bundles).`,
    );
  }
  return [{ kind, id: sourceId }];
}

function sourceMissing(source: ListingSource): AppError {
  return new AppError(
    'LISTING_SOURCE_NOT_FOUND',
    `No ${source.kind} with the id ${source.id} in your workspace. List them to find the right id.`,
    {
      kind: source.kind,
      id: source.id,
    },
  );
}

/** Calls a source's getter, answering LISTING_SOURCE_NOT_FOUND for a source that is not in the workspace. */
async function readSource<Value>(source: ListingSource, read: () => Promise<Value>): Promise<Value> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) throw sourceMissing(source);
    throw error;
  }
}

/**
 * Builds what a listing installs from agents, workflows and skills of the publisher's workspace:
 * templates without ids, keys, model connections, repositories or usage. The content is then
 * scanned, and anything that still looks like a secret or an id refuses the whole listing.
 */
export async function buildListingContent(
  dependencies: ListingContentDependencies,
  principal: Principal,
  sources: readonly ListingSource[],
): Promise<ListingContent> {
  const skills: SkillTemplate[] = [];
  const workflows: ListingWorkflowTemplate[] = [];
  const agents: { template: AgentTemplate; id: string }[] = [];
  for (const source of sources) {
    if (source.kind === 'skill') {
      const skill = await readSource(source, () => dependencies.skills.getSkill(principal, source.id));
      skills.push({ name: skill.name, description: skill.description, body: skill.body, capabilities: skill.capabilities });
    } else if (source.kind === 'workflow') {
      const workflow = await readSource(source, () => dependencies.workflows.getWorkflow(principal, source.id));
      workflows.push({ definition: workflow.definition });
    } else {
      const agent = await readSource(source, () => dependencies.agents.getAgent(principal, source.id));
      const runtime = await dependencies.agentRuntimeSettings.getRuntime(principal, agent.id);
      agents.push({
        id: agent.id,
        template: {
          name: agent.name,
          role: agent.role,
          kind: agent.kind === 'remote' ? 'specialist' : agent.kind,
          capabilities: agent.capabilities,
          memoryContext: agent.memoryContext,
          heartbeatIntervalSeconds: agent.heartbeatIntervalSeconds,
          concurrencyLimit: agent.concurrencyLimit,
          runtime:
            runtime.runtime === 'builtin'
              ? {
                  runtime: runtime.runtime,
                  provider: runtime.provider,
                  model: runtime.model,
                  temperature: runtime.temperature,
                  stepLimit: runtime.stepLimit,
                  instructions: runtime.instructions,
                }
              : null,
          skills: [],
        },
      });
    }
  }
  // An agent of a bundle names the bundle's skills it has used, so they install together.
  const bundled = new Set(skills.map((skill) => skill.name));
  for (const agent of agents) {
    if (bundled.size === 0) break;
    const used = await dependencies.skills.listAgentSkills(principal, agent.id);
    agent.template.skills = used.map((usage) => usage.name).filter((name) => bundled.has(name));
  }
  return listingContentSchema.parse({ agents: agents.map((agent) => agent.template), workflows, skills });
}

/** Refuses content that holds a secret or an id of the publisher's workspace, naming every problem. */
export function assertContentPublishable(content: ListingContent): void {
  const problems = findContentProblems(content);
  if (problems.length === 0) return;
  const first = problems[0];
  throw new AppError(
    'LISTING_CONTENT_UNSAFE',
    `Nothing was published: ${problems.length === 1 ? 'one problem' : `${problems.length} problems`}, the first at ${first?.path}: ${first?.message}`,
    { problems },
  );
}
