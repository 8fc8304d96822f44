import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from './app-error.js';

/** JSON with object keys sorted, so the same body always hashes the same. */
function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([name, entry]) => `${JSON.stringify(name)}:${canonicalJson(entry)}`).join(',')}}`;
}

/** What makes two requests "the same": method, path with query, workspace and body. */
export function hashRequest(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method}\n${request.url}\n${request.principal.workspaceId}\n${canonicalJson(request.body)}`)
    .digest('hex');
}

const answerObjectSchema = z.record(z.string(), z.unknown());

function parseAnswerObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = answerObjectSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The body to store for a replay. A success of a route that shows a secret once is stored
 * without that field (and without anything at all when it is not the JSON object expected):
 * a secret must never rest in the idempotency table, where a replay would hand it out again.
 */
export function storableAnswer(request: FastifyRequest, statusCode: number, payload: string | Buffer | null | undefined): string | null {
  if (payload === null || payload === undefined) return null;
  const text = String(payload);
  const secretField = request.routeOptions.config.oneTimeSecretField;
  if (!secretField || statusCode >= 300) return text;
  const answer = parseAnswerObject(text);
  if (!answer) return null;
  const { [secretField]: _secret, ...rest } = answer;
  for (const copy of request.routeOptions.config.oneTimeSecretCopies ?? []) delete rest[copy];
  return JSON.stringify(rest);
}

/** The 409 a repeat of a one-time-secret success gets instead of the secret. */
export function secretNotReplayable(request: FastifyRequest, storedBody: string | null): AppError {
  const answer = storedBody ? parseAnswerObject(storedBody) : undefined;
  return new AppError(
    'IDEMPOTENCY_SECRET_NOT_REPLAYABLE',
    `The request with this Idempotency-Key already ran, and its answer held a secret (\`${request.routeOptions.config.oneTimeSecretField}\`) that is shown only once and never stored. \`details\` has the rest of that answer: if you did not receive the secret, revoke what it created and make a new one with a new Idempotency-Key.`,
    answer,
  );
}
