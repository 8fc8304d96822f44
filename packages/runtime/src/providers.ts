import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';

/** The providers a built-in agent can use. */
export const modelProviders = ['openai-compatible', 'anthropic', 'openai'] as const;
export type ModelProvider = (typeof modelProviders)[number];

/** Where and how to reach a model; the API key comes from the server's configuration, never from the database. */
export interface ModelConnection {
  provider: ModelProvider;
  model: string;
  /** Required for openai-compatible (such as http://127.0.0.1:11434/v1 for Ollama); optional for the others. */
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  /** A fetch for the provider's HTTP calls (tests, proxies); the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/** Builds the AI SDK language model for a connection. */
export function createLanguageModel(connection: ModelConnection): LanguageModel {
  const common = { ...(connection.apiKey ? { apiKey: connection.apiKey } : {}), ...(connection.fetch ? { fetch: connection.fetch } : {}) };
  switch (connection.provider) {
    case 'openai-compatible': {
      if (!connection.baseUrl) throw new Error('An openai-compatible model needs a base URL (MISSION_LLM_BASE_URL).');
      // includeUsage asks streaming endpoints for token counts, which the turn records and budgets need.
      return createOpenAICompatible({ name: 'openai-compatible', baseURL: connection.baseUrl, includeUsage: true, ...common }).chatModel(
        connection.model,
      );
    }
    case 'anthropic':
      return createAnthropic({ ...(connection.baseUrl ? { baseURL: connection.baseUrl } : {}), ...common })(connection.model);
    case 'openai':
      // The chat-completions API: the one every OpenAI-compatible server also speaks.
      return createOpenAI({ ...(connection.baseUrl ? { baseURL: connection.baseUrl } : {}), ...common }).chat(connection.model);
  }
}
