import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toSearchTerms } from '../core/search-terms.js';

export interface EmbeddingServer {
  /** The API root to give as the embeddings base URL (POST {baseUrl}/embeddings). */
  baseUrl: string;
  /** How many /embeddings requests it answered. */
  requests: number;
  /** Makes the following requests fail with this status (null: answer again). */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export const scriptedEmbeddingDimensions = 256;

/**
 * A deterministic stand-in for an embedding model: each word is mapped to a concept (words of one
 * synonym group share it), each concept to a fixed dimension by hash, and the text's vector is the
 * count of its concepts. Texts that say the same thing in other words end up close, which is what
 * a real model adds over full-text matching.
 */
export function scriptedEmbedding(text: string, synonyms: ReadonlyMap<string, string>): number[] {
  const vector = new Array<number>(scriptedEmbeddingDimensions).fill(0);
  // Like a real model, words that carry no meaning weigh nothing.
  for (const word of toSearchTerms(text)) {
    const concept = synonyms.get(word) ?? word;
    const dimension = createHash('sha256').update(concept).digest().readUInt32BE(0) % scriptedEmbeddingDimensions;
    vector[dimension] = (vector[dimension] ?? 0) + 1;
  }
  return vector;
}

/** A real HTTP server on 127.0.0.1 and a free port speaking the OpenAI embeddings API. */
export async function startEmbeddingServer(synonyms: ReadonlyMap<string, string> = new Map()): Promise<EmbeddingServer> {
  let failure: number | null = null;
  const state = { requests: 0 };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      state.requests += 1;
      if (failure !== null) {
        response.writeHead(failure, { 'content-type': 'application/json' }).end('{"error":{"message":"scripted failure"}}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string | string[] };
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: scriptedEmbedding(text, synonyms) }));
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', model: body.model, data, usage: { prompt_tokens: 0, total_tokens: 0 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    set requests(value: number) {
      state.requests = value;
    },
    failWith(status) {
      failure = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
