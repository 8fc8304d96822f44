import { Command, CommanderError } from 'commander';
import { registerAgentCommands } from './commands/agents.js';
import { registerAlertCommands } from './commands/alerts.js';
import { registerAnalyticsCommands } from './commands/analytics.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDocumentCommands } from './commands/documents.js';
import { registerGithubCommands } from './commands/github.js';
import { registerHeartbeatCommand } from './commands/heartbeat.js';
import { registerInvitationCommands } from './commands/invitations.js';
import { registerLoginCommands } from './commands/login.js';
import { registerMarketplaceCommands } from './commands/marketplace.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerMemoryCommands } from './commands/memories.js';
import { registerMessageCommands } from './commands/messages.js';
import { registerNotificationCommands } from './commands/notifications.js';
import { registerOrganizationCommands } from './commands/organizations.js';
import { registerRetentionCommands } from './commands/retention.js';
import { registerRoleCommands } from './commands/roles.js';
import { registerRunnerCommand } from './commands/runner.js';
import { registerRunCommands } from './commands/runs.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSkillCommands } from './commands/skills.js';
import { registerSystemCommands } from './commands/system.js';
import { registerTailCommand } from './commands/tail.js';
import { registerTaskCommands } from './commands/tasks.js';
import { registerWebhookCommands } from './commands/webhooks.js';
import { registerWorkflowCommands } from './commands/workflows.js';
import { registerWorkingCommands } from './commands/working.js';
import { exitCodeHelp, exitCodes, reportError } from './exit-codes.js';

const helpFooter = `
Connection (flag, then environment, then the login stored by \`mission login\`):
  --url / MISSION_URL          the server, such as http://127.0.0.1:4000 (the default)
  --api-key / MISSION_API_KEY  an agent or user API key (mc_…)

Examples:
  mission serve                                    start the server (SQLite in ./data)
  export MISSION_URL=http://127.0.0.1:4000 MISSION_API_KEY=mc_…
  mission tasks next                               claim your next task
  mission messages post TASK-7 "Draft is up for review"
  mission tasks status TASK-7 done --reason "shipped"
  mission tail --json                              follow the event stream
  mission runner --agent jarvis --adapter claude-code --workdir ~/src/app   drive Claude Code on jarvis's tasks
  mission mcp                                      MCP server on stdio for Claude Code, Codex, Cursor…
  mission demo                                     a squad working on a goal (scripted, or LLM agents with MISSION_LLM_*)

${exitCodeHelp}
`;

/** Builds the `mission` command with every subcommand. */
export function createProgram(): Command {
  const program = new Command('mission')
    .description(
      'Run Mission Control and talk to it from a terminal: agents, invitations, tasks, threads, documents, WORKING.md, events, MCP.',
    )
    .option('--url <url>', 'the Mission Control server (default: MISSION_URL, the stored login, or http://127.0.0.1:4000)')
    .option('--api-key <key>', 'an API key (default: MISSION_API_KEY or the stored login)')
    .option('--json', 'print JSON (one document or array per command, one line per event for tail)')
    .showHelpAfterError('(run with --help to see the usage)')
    .addHelpText('after', helpFooter);
  registerServeCommand(program);
  registerLoginCommands(program);
  registerAgentCommands(program);
  registerInvitationCommands(program);
  registerRoleCommands(program);
  registerOrganizationCommands(program);
  registerRetentionCommands(program);
  registerTaskCommands(program);
  registerMessageCommands(program);
  registerDocumentCommands(program);
  registerWorkingCommands(program);
  registerNotificationCommands(program);
  registerAlertCommands(program);
  registerWebhookCommands(program);
  registerGithubCommands(program);
  registerWorkflowCommands(program);
  registerMemoryCommands(program);
  registerSkillCommands(program);
  registerMarketplaceCommands(program);
  registerHeartbeatCommand(program);
  registerRunnerCommand(program);
  registerRunCommands(program);
  registerTailCommand(program);
  registerMcpCommand(program);
  registerBackupCommands(program);
  registerDemoCommand(program);
  registerAnalyticsCommands(program);
  registerSystemCommands(program);
  return program;
}

/** Every (sub)command exits through here instead of calling process.exit, so errors map to our codes. */
function applyExitOverride(command: Command): void {
  command.exitOverride();
  for (const subcommand of command.commands) applyExitOverride(subcommand);
}

/** Runs the CLI with the given arguments and answers the exit code (-1 when a long-running command keeps the process). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  applyExitOverride(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other parse failure is a usage error (commander printed it).
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    return reportError(error, (line) => process.stderr.write(`${line}\n`));
  }
}
