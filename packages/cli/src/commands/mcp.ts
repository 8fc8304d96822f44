import type { Command } from 'commander';
import { clientFor } from './shared.js';

/** Registers `mission mcp`: the MCP server on stdio for Claude Code, Codex, Cursor and other clients. */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('Run the Mission Control MCP server on stdio (tools: check_in, claim_next_task, post_message, …)')
    .addHelpText(
      'after',
      '\nExamples:\n  claude mcp add mission -e MISSION_URL=http://127.0.0.1:4000 -e MISSION_API_KEY=mc_… -- npx mission mcp\n  MISSION_API_KEY=mc_… mission mcp',
    )
    .action(async (_options: unknown, command: Command) => {
      // stdout carries the protocol: every diagnostic goes to stderr.
      const { runStdioServer } = await import('@mission-control/mcp');
      await runStdioServer(await clientFor(command));
    });
}
