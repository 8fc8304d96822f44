import {
  capabilitySchema,
  idSchema,
  skillSchema,
  skillSummarySchema,
  skillUseSchema,
  taskReferenceSchema,
} from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { type AgentTool, defineAgentTool } from './agent-tools.js';
import { runTool, toolResult } from './results.js';
import { additiveTool, readOnlyTool } from './tool-annotations.js';

/** find_skill, read_skill: the workspace's skills, procedures that solved similar work before. */
export function createSkillTools(client: MissionControl): AgentTool[] {
  return [
    defineAgentTool({
      name: 'find_skill',
      title: 'Find a skill',
      description:
        'Search the workspace’s skills: named procedures that solved similar work before, written by leads, reviewers and people. ' +
        'Ask in plain words ("how do we rotate database credentials?"); any word may match, best first. capability narrows to skills that serve it. ' +
        'Returns each skill’s id, name, description and how often the tasks it was used for were done; read one with read_skill.',
      inputSchema: {
        query: z.string().min(1).max(200).describe('A question or a few keywords'),
        capability: capabilitySchema.optional(),
        limit: z.number().int().min(1).max(20).optional(),
      },
      outputSchema: { skills: z.array(skillSummarySchema) },
      annotations: readOnlyTool,
      run: ({ query, capability, limit }) =>
        runTool(async () => {
          const page = await client.skills.list({ q: query, ...(capability ? { capability } : {}), limit: limit ?? 5 }).toArray(limit ?? 5);
          if (page.length === 0)
            return toolResult('No skill matches. Solve it, then a lead or reviewer can turn the task into a skill.', undefined, {
              skills: [],
            });
          const lines = page.map(
            (skill) =>
              `- ${skill.id} "${skill.name}" (v${skill.version}; used ${skill.usage.uses}x, ${skill.usage.succeeded} done, ${skill.usage.failed} failed)${skill.description ? `: ${skill.description}` : ''}`,
          );
          return toolResult(`${page.length} skill(s):\n${lines.join('\n')}`, { ids: page.map((skill) => skill.id) }, { skills: page });
        }),
    }),

    defineAgentTool({
      name: 'read_skill',
      title: 'Read a skill',
      description:
        'Read a skill’s procedure (the id comes from find_skill) to follow it. It is linked to the task you name, or to every task you have in progress, ' +
        'so how that task ends counts toward the skill’s success record. Returns the markdown procedure.',
      inputSchema: {
        skillId: idSchema,
        taskId: taskReferenceSchema.optional().describe('The task you follow it for; every task you have in progress when left out'),
      },
      outputSchema: { skill: skillSchema, uses: z.array(skillUseSchema).describe('The tasks this reading was linked to') },
      // Each read records a use toward the skill's record.
      annotations: additiveTool,
      run: ({ skillId, taskId }) =>
        runTool(async () => {
          const skill = await client.skills.get(skillId);
          const uses = await client.skills.recordUse(skillId, taskId ? { taskId } : {});
          const linked = uses.length === 0 ? 'not linked to a task (none in progress)' : `linked to ${uses.length} task(s)`;
          return toolResult(
            `# ${skill.name} (v${skill.version}, ${linked})\n\n${skill.description ? `${skill.description}\n\n` : ''}${skill.body}`,
            undefined,
            { skill, uses },
          );
        }),
    }),
  ];
}
