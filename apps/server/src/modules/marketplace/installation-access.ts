import type { DatabaseExecutor } from '../../db/database.js';
import type { AgentService } from '../agents/agent.service.js';
import { listActiveInstallationsOfListing, listInstallationRows, updateInstallationRow } from './installation.repository.js';
import { readInstalledItems } from './installation.service.js';

function agentIdsOf(row: Parameters<typeof readInstalledItems>[0]): string[] {
  return readInstalledItems(row).flatMap((item) => (item.kind === 'agent' ? [item.id] : []));
}

/**
 * Pauses what a workspace installed from a listing whose access ended (a rental's period, a
 * subscription stopped or ended): its agents become blocked and the installations show paused.
 * Answers how many installations it paused.
 */
export async function pauseInstallationsOfListing(
  executor: DatabaseExecutor,
  agents: Pick<AgentService, 'pauseAgents'>,
  target: { workspaceId: string; listingId: string; reason: string; now: string },
): Promise<number> {
  const installations = await listActiveInstallationsOfListing(executor, target.workspaceId, target.listingId);
  for (const installation of installations) {
    await agents.pauseAgents(target.workspaceId, agentIdsOf(installation), target.reason);
    await updateInstallationRow(executor, installation.id, { status: 'paused', updated_at: target.now });
  }
  return installations.length;
}

/** Undoes pauseInstallationsOfListing when the access comes back (a limit raised, credits arrived, a new period). */
export async function resumeInstallationsOfListing(
  executor: DatabaseExecutor,
  agents: Pick<AgentService, 'resumeAgents'>,
  target: { workspaceId: string; listingId: string; reason: string; now: string },
): Promise<number> {
  const paused = (await listInstallationRows(executor, target.workspaceId, 'paused')).filter((row) => row.listing_id === target.listingId);
  for (const installation of paused) {
    await agents.resumeAgents(target.workspaceId, agentIdsOf(installation), target.reason);
    await updateInstallationRow(executor, installation.id, { status: 'active', updated_at: target.now });
  }
  return paused.length;
}

/** The agents a workspace runs from its active installations of a listing. */
export async function installedAgentIdsOfListing(executor: DatabaseExecutor, workspaceId: string, listingId: string): Promise<string[]> {
  return (await listActiveInstallationsOfListing(executor, workspaceId, listingId)).flatMap(agentIdsOf);
}
