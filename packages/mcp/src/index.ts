export { type AgentTool, type AgentToolContext, createAgentTools, taskLine } from './agent-tools.js';
export {
  createMcpHttpHandler,
  type McpCaller,
  type McpHttpHandler,
  type McpHttpHandlerOptions,
  McpSessionLimitError,
} from './http.js';
export { type HeldLease, LeaseStore } from './lease-store.js';
export { invalidInput, runTool, toolError, toolResult } from './results.js';
export { createMissionControlMcpServer, type MissionControlMcpServerOptions } from './server.js';
export { runStdioServer } from './stdio.js';
