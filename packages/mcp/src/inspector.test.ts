import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCommandLine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
// The MCP Inspector's CLI (the --cli mode of @modelcontextprotocol/inspector), pinned to a version that runs on Node 20.
const inspector = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/build/cli.js');

/** How the Inspector reaches the server: the stdio binary with the key in its environment, or /mcp with the key in a header. */
type Target = (server: RealServer, apiKey: string) => { args: string[]; env: Record<string, string> };

const stdioTarget: Target = (server, apiKey) => ({
  args: [process.execPath, binary, 'mcp'],
  env: { MISSION_URL: server.url, MISSION_API_KEY: apiKey, HOME: '/nonexistent' },
});

const httpTarget: Target = (server, apiKey) => ({
  args: [`${server.url}/mcp`, '--transport', 'http', '--header', `Authorization: Bearer ${apiKey}`],
  env: {},
});

const toolsSchema = z.object({
  tools: z.array(
    z.object({
      name: z.string(),
      annotations: z.object({
        readOnlyHint: z.boolean(),
        destructiveHint: z.boolean(),
        idempotentHint: z.boolean(),
        openWorldHint: z.boolean(),
      }),
      inputSchema: z.object({ type: z.literal('object'), additionalProperties: z.literal(false) }),
      outputSchema: z.object({ type: z.literal('object') }),
    }),
  ),
});
const promptsSchema = z.object({ prompts: z.array(z.object({ name: z.string() })) });
const templatesSchema = z.object({ resourceTemplates: z.array(z.object({ uriTemplate: z.string() })) });
const callSchema = z.object({
  isError: z.boolean().optional(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  structuredContent: z.object({ tasks: z.array(z.object({ key: z.string() })) }),
});

function describeInspector(name: string, engine: 'sqlite' | 'postgres', target: Target) {
  describe(name, () => {
    let server: RealServer;
    let owner: MissionControl;
    let agent: { id: string; name: string };
    let apiKey: string;

    beforeAll(async () => {
      server = await startRealServer(engine);
      owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
      ({ agent, apiKey } = await server.createAgentWithKey());
    }, 60_000);
    afterAll(async () => {
      await server?.close();
    });

    /** Runs one Inspector CLI method; a failure (an error answer, a protocol error) rejects with its output. */
    async function inspect(method: string, extra: string[] = []): Promise<unknown> {
      const { args, env } = target(server, apiKey);
      const { stdout, stderr } = await run(process.execPath, [inspector, '--cli', ...args, '--method', method, ...extra], {
        env: { PATH: process.env.PATH ?? '', ...env },
        maxBuffer: 16 * 1024 * 1024,
        // It finds its own package.json relative to the working directory (checked) and to its module (imported).
        cwd: dirname(inspector),
      });
      expect(stderr).not.toMatch(/error/i);
      return JSON.parse(stdout);
    }

    it('lists every tool with annotations, a strict input schema and an output schema', { timeout: 120_000 }, async () => {
      const { tools } = toolsSchema.parse(await inspect('tools/list'));
      expect(tools.length).toBeGreaterThanOrEqual(30);
      expect(tools.map((tool) => tool.name)).toContain('list_my_tasks');
    });

    it('lists the four prompts and the resource templates', { timeout: 120_000 }, async () => {
      const { prompts } = promptsSchema.parse(await inspect('prompts/list'));
      expect(prompts.map((prompt) => prompt.name).sort()).toEqual(['plan_goal', 'review_task', 'start_my_shift', 'write_standup']);
      const { resourceTemplates } = templatesSchema.parse(await inspect('resources/templates/list'));
      expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual([
        'mission://agents/{id}',
        'mission://documents/{id}',
        'mission://tasks/{key}',
        'mission://tasks/{taskId}/thread',
      ]);
    });

    it('calls a tool and gets structuredContent beside the text', { timeout: 120_000 }, async () => {
      const task = await owner.tasks.create({ title: 'Inspected', assignees: [{ kind: 'agent', id: agent.id }] });
      const result = callSchema.parse(await inspect('tools/call', ['--tool-name', 'list_my_tasks']));
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent.tasks.map((listed) => listed.key)).toEqual([task.key]);
      expect(result.content[0]?.text).toContain(task.key);
    });
  });
}

beforeAll(async () => {
  await buildCommandLine();
}, 120_000);

// A protocol check of the two transports: what the tools answer on each engine is covered by
// mcp-protocol.test.ts, so one engine here keeps sixteen slow Inspector launches down to eight.
describe('the MCP Inspector CLI', () => {
  describeInspector('against stdio (mission mcp)', 'sqlite', stdioTarget);
  describeInspector('against Streamable HTTP (/mcp)', 'sqlite', httpTarget);
});
