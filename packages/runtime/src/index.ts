export { isRefusedAddress } from './address-policy.js';
export { type AgentChatOptions, streamAgentChat } from './agent-chat.js';
export { type AgentContext, loadAgentContext, renderTurnPrompt } from './agent-context.js';
export {
  type AgentTurnOptions,
  createStepRecorder,
  runAgentTurn,
  type TurnOutcome,
  type TurnRecord,
  type TurnStep,
  type TurnWorkspaceOptions,
  type TurnWorkspaceRecord,
  toModelTools,
} from './agent-turn.js';
export { createUrlFetcher, type FetchedPage, type FetchUrlOptions, FetchUrlRefused } from './fetch-url.js';
export { createFetchUrlTool } from './fetch-url-tool.js';
export { htmlToText } from './html-to-text.js';
export { type MemoryToSummarise, type SummariseMemoriesOptions, summariseMemories } from './memory-summary.js';
export { costInMicroDollars, findModelPricing, type ModelPricing } from './pricing.js';
export { createLanguageModel, type ModelConnection, type ModelProvider, modelProviders } from './providers.js';
export { createLeadTools, createReviewerTools, createRoleTools } from './role-tools.js';
export { applyUnifiedPatch, PatchNotApplied } from './workspace/apply-patch.js';
export { relativeToRoot, resolveInside, WorkspacePathRefused } from './workspace/resolve-inside.js';
export { CommandRefused, type CommandResult, parseAllowedCommand, runCommand, splitCommand } from './workspace/run-command.js';
export { defaultJavascriptLimits, type JavascriptLimits, type JavascriptOutcome, runJavascript } from './workspace/run-javascript.js';
export { confinedCommandPath, createTaskWorkspace, type TaskWorkspace, type WorkspaceSettings } from './workspace/task-workspace.js';
export {
  agentCommitAuthor,
  branchNameFor,
  checkRepository,
  commitWorktree,
  type GitEnvironment,
  type PreparedWorktree,
  prepareWorktree,
  runGit,
  type WorktreeCommit,
  WorktreeError,
  worktreePathFor,
} from './workspace/worktree.js';
