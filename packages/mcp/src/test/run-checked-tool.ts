import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { z } from 'zod';
import type { AgentTool } from '../agent-tools.js';

/**
 * Runs a tool as the MCP server would: the arguments parsed by its strict input schema (defaults
 * filled in, unknown keys refused), and a successful result must carry structuredContent
 * that its outputSchema accepts (the SDK turns a mismatch into an error), and the text stays.
 */
export async function runCheckedTool(tools: Map<string, AgentTool>, name: string, input: Record<string, unknown>): Promise<CallToolResult> {
  const tool = tools.get(name);
  if (!tool) throw new Error(`no tool ${name}`);
  const result = await tool.run(z.strictObject(tool.inputSchema).parse(input));
  if (!result.isError) {
    expect(tool.outputSchema, `${name} has an outputSchema`).toBeDefined();
    const parsed = z.object(tool.outputSchema ?? {}).safeParse(result.structuredContent);
    expect(parsed.success ? 'matches' : parsed.error.message, `${name} structuredContent`).toBe('matches');
    expect(result.content.length).toBeGreaterThan(0);
  }
  return result;
}
