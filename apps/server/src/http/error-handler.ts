import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorBody, type ErrorCode, streamPaths } from '@mission-control/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, isAppError } from './app-error.js';
import { toFastifyPath } from './register-endpoint.js';

const realm = 'Mission Control';

/**
 * RFC 6750's challenge: every 401 says how to authenticate, and when a credential was sent and
 * refused, why (`invalid_token`), so generic HTTP clients know to refresh or ask again.
 */
function bearerChallenge(code: ErrorCode, message: string): string {
  if (code === 'UNAUTHENTICATED' || code === 'INVALID_CREDENTIALS') return `Bearer realm="${realm}"`;
  // RFC 6750 allows printable ASCII only, and Node refuses anything else in a header: typographic
  // quotes become plain ones, other characters are left out.
  const description = message
    .replace(/["\\\u2018\u2019\u201c\u201d]/g, "'")
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, 200);
  return `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`;
}

function errorBody(code: ErrorCode, message: string, details?: unknown): string {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return JSON.stringify(body);
}

function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string, details?: unknown) {
  if (status === 401) reply.header('www-authenticate', bearerChallenge(code, message));
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(code, message, details));
}

/** The code of an error that carries only an HTTP status (raised by a plugin such as static files). */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'ROUTE_NOT_FOUND';
    case 408:
      return 'REQUEST_TIMEOUT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 431:
      return 'REQUEST_HEADERS_TOO_LARGE';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED';
  }
}

const streamRoutes = new Set(Object.values(streamPaths).map(toFastifyPath));

function routeNotFoundMessage(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  // The WebSocket plugin answers a plain HTTP request to a stream with a bare 404.
  if (request.routeOptions.url && streamRoutes.has(request.routeOptions.url)) {
    return `${path} is a WebSocket stream: open it with a WebSocket client (Upgrade: websocket), not a plain HTTP ${request.method}.`;
  }
  return `No route ${request.method} ${path}. See /api/docs for the API reference.`;
}

/**
 * Fastify's errors raised before any route runs, which it would otherwise answer with its own
 * body: a URL that does not decode (bad percent-encoding), a path parameter over 100 characters
 * (no id or key is that long), a failing route constraint. Passed as Fastify's frameworkErrors.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return sendError(
        reply,
        400,
        'VALIDATION_FAILED',
        'The URL is not valid: a percent-encoded part does not decode to UTF-8 text. Encode path segments with encodeURIComponent.',
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return sendError(
        reply,
        400,
        'VALIDATION_FAILED',
        'A path parameter is longer than 100 characters; ids and task keys are much shorter. Check the URL.',
      );
    default:
      request.log.error({ err: error }, 'framework error before routing');
      return sendError(
        reply,
        500,
        'INTERNAL_ERROR',
        'Something went wrong on the server. Retry later; if it persists, check the server logs.',
      );
  }
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (not HTTP at all, headers over
 * 16 KB, headers that never finish arriving): answered on the socket with the one error body,
 * then the connection is closed. Passed as Fastify's clientErrorHandler.
 */
export function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Duplex): void {
  // The client is already gone: there is no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'REQUEST_HEADERS_TOO_LARGE', 'The request headers are too large. Send fewer or smaller headers (cookies, tokens).']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request headers did not arrive in time. Send the whole request promptly.']
        : [400, 'VALIDATION_FAILED', 'The request is not valid HTTP/1.1. Check the request line and headers.'];
  this.log.debug({ err: error }, 'refused a request the HTTP parser could not read');
  writeRawError(socket, status, code, message);
}

/**
 * A WebSocket handshake the ws library refuses (a missing or malformed Sec-WebSocket-Key,
 * Version, Protocol or Extensions header): ws hands it over through its wsClientError event
 * instead of answering in plain text, and it is answered with the one error body.
 */
export function answerWebSocketHandshakeError(error: Error, socket: Duplex): void {
  const headers: Record<string, string> = /Sec-WebSocket-Version/.test(error.message) ? { 'Sec-WebSocket-Version': '13, 8' } : {};
  writeRawError(
    socket,
    400,
    'VALIDATION_FAILED',
    `The WebSocket handshake was refused: ${error.message}. Connect with a WebSocket client (RFC 6455).`,
    headers,
  );
}

/** Writes an error answer straight to a socket that Fastify does not answer on, then closes it. */
function writeRawError(socket: Duplex, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = errorBody(code, message);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
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

/**
 * Maps every failure to the one error body; unexpected errors are logged and never leak internals.
 * Register it on the root instance before any plugin, so its hooks run for every route. The
 * errors Fastify raises outside a route go through answerFrameworkError and answerClientError.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  // Fastify's own 503 while closing has its own body: it is turned off (return503OnClosing: false
  // in app.ts) and answered here instead, for requests that arrive on open connections during a drain.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down. Retry in a moment (another instance may answer).');
  });

  // Plugins that answer with a bare status (the WebSocket plugin's 404 to a plain HTTP request) get the error body too.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400 || (payload !== undefined && payload !== null && payload !== '')) return payload;
    const code = codeForStatus(reply.statusCode);
    reply.type('application/json; charset=utf-8');
    return errorBody(code, code === 'ROUTE_NOT_FOUND' ? routeNotFoundMessage(request) : (STATUS_CODES[reply.statusCode] ?? 'Error'));
  });

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
    // Errors that carry only a status, from Fastify or a plugin (static files: 403, 416 for a bad Range).
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, codeForStatus(error.statusCode), error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(
      reply,
      500,
      'INTERNAL_ERROR',
      'Something went wrong on the server. Retry later; if it persists, check the server logs.',
    );
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'ROUTE_NOT_FOUND', routeNotFoundMessage(request)));
}
