import type { ErrorBody, ErrorCode } from '@mission-control/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isAppError } from './app-error.js';

const realm = 'Mission Control';

/**
 * RFC 6750's challenge: every 401 says how to authenticate, and when a credential was sent and
 * refused, why (`invalid_token`), so generic HTTP clients know to refresh or ask again.
 */
function bearerChallenge(code: ErrorCode, message: string): string {
  if (code === 'UNAUTHENTICATED' || code === 'INVALID_CREDENTIALS') return `Bearer realm="${realm}"`;
  const description = message.replace(/["\\]/g, "'").slice(0, 200);
  return `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`;
}

function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  if (status === 401) reply.header('www-authenticate', bearerChallenge(code, message));
  return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function describeValidationProblems(error: FastifyError): { message: string; details: unknown } {
  const where = error.validationContext ?? 'request';
  const issues = (error.validation ?? []).map((issue) => {
    const segments = issue.instancePath.split('/').filter(Boolean);
    return { path: [where, ...segments].join('.'), message: issue.message ?? 'invalid value' };
  });
  const first = issues[0];
  const message = first
    ? `Invalid ${where}: ${first.path} ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}. Fix the request and try again.`
    : `Invalid ${where}. Fix the request and try again.`;
  return { message, details: { issues } };
}

/** Maps every failure to the one error body; unexpected errors are logged and never leak internals. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isAppError(error)) {
      return sendError(reply, error.statusCode, error.code, error.message, error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const { message, details } = describeValidationProblems(error);
      return sendError(reply, 400, 'VALIDATION_FAILED', message, details);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
      return sendError(reply, 500, 'INTERNAL_ERROR', 'The server failed to build its answer. This is a bug; please report it.');
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(
          reply,
          400,
          'MALFORMED_JSON',
          'The request body is not valid JSON. Send a JSON object with Content-Type: application/json.',
        );
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large. Send less data per request.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send request bodies as JSON with Content-Type: application/json.');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(reply, 400, 'MALFORMED_JSON', 'The Content-Length header does not match the body.');
    }
    if (error.statusCode === 429) {
      return sendError(reply, 429, 'RATE_LIMITED', error.message || 'Too many requests. Wait and retry.');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, 'VALIDATION_FAILED', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(
      reply,
      500,
      'INTERNAL_ERROR',
      'Something went wrong on the server. Retry later; if it persists, check the server logs.',
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      404,
      'ROUTE_NOT_FOUND',
      `No route ${request.method} ${request.url.split('?')[0]}. See /api/docs for the API reference.`,
    ),
  );
}
