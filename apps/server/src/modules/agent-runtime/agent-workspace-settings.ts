import fs from 'node:fs/promises';
import path from 'node:path';
import { type AgentWorkspace, type UpdateAgentRuntimeInput, updateAgentWorkspaceSchema } from '@mission-control/contracts';
import { checkRepository, type GitEnvironment, type TurnWorkspaceOptions } from '@mission-control/runtime';
import { AppError } from '../../http/app-error.js';
import { readStoredWorkspace } from './agent-runtime-settings.repository.js';

/** What the server lets built-in agents' workspaces use (from config: MISSION_AGENT_REPOSITORY_ROOTS, PATH, HOME). */
export interface AgentWorkspaceEnvironment {
  /** Folders repositories must be in; empty: workspaces are off. */
  repositoryRoots: readonly string[];
  /** PATH for the agents' commands. */
  commandPath: string;
  /** What the server's own git commands run with. */
  gitEnvironment: GitEnvironment;
}

/** Until the operator names folders, no agent may be given a repository. */
export const workspacesOff: AgentWorkspaceEnvironment = { repositoryRoots: [], commandPath: '/usr/bin:/bin', gitEnvironment: {} };

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Whether a repository lies in one of the allowed folders, links resolved on both sides. */
async function isAllowedRepository(repositoryPath: string, roots: readonly string[]): Promise<boolean> {
  const real = await fs.realpath(repositoryPath).catch(() => path.resolve(repositoryPath));
  for (const root of roots) {
    const realRoot = await fs.realpath(root).catch(() => path.resolve(root));
    if (isInside(realRoot, real)) return true;
  }
  return false;
}

/**
 * Checks a workspace given to PUT /runtime: allowed by the operator's folders, and the top folder
 * of a git repository with a commit. Answers the value to store, or throws a plain-word error.
 */
export async function validateWorkspaceInput(
  input: NonNullable<UpdateAgentRuntimeInput['workspace']>,
  environment: AgentWorkspaceEnvironment,
): Promise<AgentWorkspace> {
  const workspace = updateAgentWorkspaceSchema.parse(input);
  const repositoryPath = path.resolve(workspace.repositoryPath);
  if (environment.repositoryRoots.length === 0) {
    throw new AppError(
      'REPOSITORY_NOT_ALLOWED',
      'This server does not let built-in agents work in repositories. Its operator turns it on by listing the folders they may use in MISSION_AGENT_REPOSITORY_ROOTS (for example /srv/repos) and restarting.',
    );
  }
  if (!(await isAllowedRepository(repositoryPath, environment.repositoryRoots))) {
    throw new AppError(
      'REPOSITORY_NOT_ALLOWED',
      `${repositoryPath} is outside the folders this server lets agents work in (${environment.repositoryRoots.join(', ')}). Choose a repository there, or ask the operator to add its folder to MISSION_AGENT_REPOSITORY_ROOTS.`,
      { field: 'workspace.repositoryPath' },
    );
  }
  const problem = await checkRepository(repositoryPath, environment.gitEnvironment);
  if (problem) throw new AppError('REPOSITORY_NOT_USABLE', problem, { field: 'workspace.repositoryPath' });
  return { ...workspace, repositoryPath };
}

/**
 * What a turn gets for its workspace: the stored settings with the server's command environment.
 * A repository the operator no longer allows (the folders changed since) gives the turn no tools.
 */
export async function resolveTurnWorkspace(value: unknown, environment: AgentWorkspaceEnvironment): Promise<TurnWorkspaceOptions | null> {
  const workspace = readStoredWorkspace(value);
  if (!workspace || !(await isAllowedRepository(workspace.repositoryPath, environment.repositoryRoots))) return null;
  return { settings: workspace, commandPath: environment.commandPath, gitEnvironment: environment.gitEnvironment };
}
