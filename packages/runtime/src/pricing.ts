/** Dollars per million tokens, in and out. */
export interface ModelPricing {
  inputPerMillion: number;
  outputPerMillion: number;
}

/**
 * List prices of common models (USD per million tokens) so costs show without configuration.
 * Unknown models (local Ollama, vLLM) cost nothing unless the agent's settings give a price.
 * Matched by prefix, longest first, so dated model ids find their family.
 */
const knownPrices: Record<string, ModelPricing> = {
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2 },
  'gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  'gpt-5': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'claude-3-5-haiku': { inputPerMillion: 0.8, outputPerMillion: 4 },
  'claude-haiku-4': { inputPerMillion: 1, outputPerMillion: 5 },
  'claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-3-7-sonnet': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-opus-4': { inputPerMillion: 15, outputPerMillion: 75 },
};

const prefixesLongestFirst = Object.keys(knownPrices).sort((left, right) => right.length - left.length);

/** The price of a model: the explicit one, else the known list price, else free. */
export function findModelPricing(model: string, explicit?: ModelPricing | null): ModelPricing {
  if (explicit) return explicit;
  const name = model.toLowerCase().replace(/^.*\//, '');
  const prefix = prefixesLongestFirst.find((candidate) => name.startsWith(candidate));
  return prefix ? (knownPrices[prefix] as ModelPricing) : { inputPerMillion: 0, outputPerMillion: 0 };
}

/**
 * Cost in micro-dollars (millionths of a dollar): integers add up exactly on both database
 * engines, where floating-point sums would drift.
 */
export function costInMicroDollars(pricing: ModelPricing, tokensIn: number, tokensOut: number): number {
  return Math.round(tokensIn * pricing.inputPerMillion + tokensOut * pricing.outputPerMillion);
}
