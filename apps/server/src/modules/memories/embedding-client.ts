import { z } from 'zod';

export interface EmbeddingSettings {
  /** An OpenAI-compatible API root such as http://127.0.0.1:11434/v1; POST {baseUrl}/embeddings. */
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
}

const embeddingsAnswerSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().optional() })).min(1),
});

/** Scales a vector to length 1, so cosine similarity is a dot product on every engine. */
export function normalizeVector(vector: readonly number[]): number[] {
  const length = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return length === 0 ? [...vector] : vector.map((value) => value / length);
}

export interface EmbeddingClient {
  model: string;
  /** The unit vectors of the texts, in order; throws when the endpoint fails or answers something else. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** Talks to any OpenAI-compatible /embeddings endpoint (OpenAI, Ollama, vLLM, llama.cpp). */
export function createEmbeddingClient(settings: EmbeddingSettings, timeoutMs = 15_000): EmbeddingClient {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/embeddings`;
  return {
    model: settings.model,
    async embed(texts) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: settings.model, input: texts }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`the embedding endpoint answered ${response.status}`);
      const answer = embeddingsAnswerSchema.parse(await response.json());
      const ordered = [...answer.data].sort((left, right) => (left.index ?? 0) - (right.index ?? 0));
      if (ordered.length !== texts.length)
        throw new Error(`the embedding endpoint answered ${ordered.length} vectors for ${texts.length} texts`);
      return ordered.map((item) => normalizeVector(item.embedding));
    },
  };
}
