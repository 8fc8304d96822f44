import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { OutcomeService } from './outcome.service.js';
import type { SkillService } from './skill.service.js';

/** Task outcomes and skills: write, find, read, version, delete, record use, and an agent's skills used. */
export async function skillRoutes(
  app: FastifyInstance,
  { skills, outcomes }: { skills: SkillService; outcomes: OutcomeService },
): Promise<void> {
  registerEndpoint(app, endpoints.listOutcomes, async (request) => outcomes.listOutcomes(request.principal, request.query));
  registerEndpoint(app, endpoints.createSkill, async (request) => skills.createSkill(request.principal, request.body));
  registerEndpoint(app, endpoints.createSkillFromTask, async (request) =>
    skills.createSkillFromTask(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.listSkills, async (request) => skills.listSkills(request.principal, request.query));
  registerEndpoint(app, endpoints.getSkill, async (request) => skills.getSkill(request.principal, request.params.id));
  registerEndpoint(app, endpoints.updateSkill, async (request) => skills.updateSkill(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.replaceSkill, async (request) => skills.replaceSkill(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.deleteSkill, async (request) => {
    await skills.deleteSkill(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.listSkillVersions, async (request) =>
    skills.listSkillVersions(request.principal, request.params.id, request.query),
  );
  registerEndpoint(app, endpoints.recordSkillUse, async (request) =>
    skills.recordSkillUse(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.listAgentSkills, async (request) => skills.listAgentSkills(request.principal, request.params.id));
}
