import type { ModelConnection } from '@mission-control/runtime';
import type { Config } from '../../config.js';
import type { AgentRuntimeRow } from './agent-runtime-settings.repository.js';

export type ModelSettings = Config['models'];

/**
 * The model a built-in agent calls: its own provider and model, else the workspace default
 * (MISSION_LLM_BASE_URL + MISSION_LLM_MODEL, or whichever provider has a key). API keys come
 * from the configuration only. Null when nothing usable is configured.
 */
export function resolveModelConnection(
  row: Pick<AgentRuntimeRow, 'provider' | 'model'>,
  models: ModelSettings,
  fetch?: typeof globalThis.fetch,
): ModelConnection | null {
  const provider =
    row.provider ?? (models.defaultEndpoint ? 'openai-compatible' : models.anthropic ? 'anthropic' : models.openai ? 'openai' : null);
  const extra = fetch ? { fetch } : {};
  switch (provider) {
    case 'openai-compatible': {
      const endpoint = models.defaultEndpoint;
      const model = row.model ?? endpoint?.model;
      if (!endpoint || !model) return null;
      return { provider, model, baseUrl: endpoint.baseUrl, apiKey: endpoint.apiKey, ...extra };
    }
    case 'anthropic': {
      const model = row.model ?? models.defaultModel;
      if (!models.anthropic || !model) return null;
      return { provider, model, apiKey: models.anthropic.apiKey, baseUrl: models.anthropic.baseUrl, ...extra };
    }
    case 'openai': {
      const model = row.model ?? models.defaultModel;
      if (!models.openai || !model) return null;
      return { provider, model, apiKey: models.openai.apiKey, baseUrl: models.openai.baseUrl, ...extra };
    }
    default:
      return null;
  }
}
