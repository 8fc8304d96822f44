import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';

/** No request of the API nests deeper than a few levels; 64 leaves room and keeps recursion bounded. */
export const maxJsonDepth = 64;

const openBrace = 0x7b;
const openBracket = 0x5b;
const closeBrace = 0x7d;
const closeBracket = 0x5d;
const quote = 0x22;
const backslash = 0x5c;

/**
 * Whether JSON text nests objects and arrays deeper than `limit`. It reads the text once, in a
 * loop (no recursion, so the check itself cannot overflow the stack), and stops at the first
 * level past the limit. Brackets inside strings do not count.
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charCodeAt(index);
    if (inString) {
      if (character === backslash) index += 1;
      else if (character === quote) inString = false;
    } else if (character === quote) {
      inString = true;
    } else if (character === openBrace || character === openBracket) {
      depth += 1;
      if (depth > limit) return true;
    } else if (character === closeBrace || character === closeBracket) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * Replaces Fastify's JSON parser with one that first refuses bodies nested deeper than
 * maxJsonDepth (400 VALIDATION_FAILED): everything that walks a body afterwards (validation,
 * the idempotency fingerprint) recurses, and 10,000 levels overflowed the stack. The parsing
 * itself stays Fastify's, with its protection against __proto__ and constructor poisoning.
 * `keepText` sees each body's exact text before it is parsed.
 */
export function registerJsonBodyParser(app: FastifyInstance, keepText?: (request: FastifyRequest, text: string) => void): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  if (app.hasContentTypeParser('application/json')) app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    keepText?.(request, text);
    if (jsonNestsDeeperThan(text, maxJsonDepth)) {
      done(
        new AppError(
          'VALIDATION_FAILED',
          `The JSON body nests objects and arrays more than ${maxJsonDepth} levels deep. Send flatter data.`,
          { maxDepth: maxJsonDepth },
        ),
        undefined,
      );
      return;
    }
    // Signed callers may send an empty body; the endpoint's schema still decides what it may be.
    if (keepText && text === '') {
      done(null, {});
      return;
    }
    parseJson(request, text, done);
  });
}

/**
 * Makes this Fastify context keep each JSON body's exact text, which HMAC signatures are computed
 * over, and answers that text for a request ('' when it had none). The same checks as every other
 * route apply. Call it inside an encapsulated plugin: routes elsewhere keep their parser.
 */
export function keepRawJsonBodies(app: FastifyInstance): (request: FastifyRequest) => string {
  const rawBodies = new WeakMap<FastifyRequest, string>();
  registerJsonBodyParser(app, (request, text) => rawBodies.set(request, text));
  return (request) => rawBodies.get(request) ?? '';
}
