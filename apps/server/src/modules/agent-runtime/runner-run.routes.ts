import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { RunnerRunService } from './runner-run.service.js';

/** Runs from outside: list the workspace's runs; a runner starts, steps and finishes runs; people and the agent cancel. */
export async function runnerRunRoutes(app: FastifyInstance, { runnerRuns }: { runnerRuns: RunnerRunService }): Promise<void> {
  registerEndpoint(app, endpoints.listRuns, async (request) => runnerRuns.listWorkspaceRuns(request.principal, request.query));
  registerEndpoint(app, endpoints.createRun, async (request) => runnerRuns.createRun(request.principal, request.body));
  registerEndpoint(app, endpoints.recordRunSteps, async (request) =>
    runnerRuns.recordSteps(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.finishRun, async (request) => runnerRuns.finishRun(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.cancelRun, async (request) => runnerRuns.cancelRun(request.principal, request.params.id));
}
