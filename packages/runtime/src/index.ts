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
  toModelTools,
} from './agent-turn.js';
export { createUrlFetcher, type FetchedPage, type FetchUrlOptions, FetchUrlRefused } from './fetch-url.js';
export { createFetchUrlTool } from './fetch-url-tool.js';
export { htmlToText } from './html-to-text.js';
export { costInMicroDollars, findModelPricing, type ModelPricing } from './pricing.js';
export { createLanguageModel, type ModelConnection, type ModelProvider, modelProviders } from './providers.js';
export { createLeadTools, createReviewerTools, createRoleTools } from './role-tools.js';
