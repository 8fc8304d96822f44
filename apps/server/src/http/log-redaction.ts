import type { FastifyServerOptions } from 'fastify';

const censor = '[redacted]';

/**
 * Every secret shape the server hands out or accepts, as it can appear in a log line: API keys
 * (`mc_…`) and refresh tokens (`mcr_…`), JWTs, and the values of the query parameters and
 * headers that carry credentials. Applied to the finished JSON line, so a URL, a header, an
 * error message or anything else that reaches the log is covered, whoever logged it.
 */
const secretPatterns: [RegExp, string][] = [
  [/\bmc(r?)_[A-Za-z0-9_-]{6,}/g, `mc$1_${censor}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, censor],
  [/([?&](?:token|access_token|apikey|api_key)=)[^&#\s"\\]*/gi, `$1${censor}`],
  [/("(?:authorization|cookie|set-cookie|x-api-key|sec-websocket-protocol)"\s*:\s*")(?:[^"\\]|\\.)*(")/gi, `$1${censor}$2`],
  [/(Bearer\s+)[^\s"\\]+/gi, `$1${censor}`],
];

/** The text with every secret it contains replaced by a placeholder. */
export function redactSecrets(text: string): string {
  let redacted = text;
  for (const [pattern, replacement] of secretPatterns) redacted = redacted.replace(pattern, replacement);
  return redacted;
}

type LoggerOption = FastifyServerOptions['logger'];

/**
 * The logger options with secret redaction added: header paths are censored by pino, and every
 * line is scrubbed of secrets before it is written. `false` stays off.
 */
export function withSecretRedaction(logger: LoggerOption): LoggerOption {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  const previousStreamWrite = options.hooks?.streamWrite;
  return {
    ...options,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["sec-websocket-protocol"]', 'headers.authorization'],
      censor,
    },
    hooks: {
      ...options.hooks,
      streamWrite: (line: string) => redactSecrets(previousStreamWrite ? previousStreamWrite(line) : line),
    },
  };
}
