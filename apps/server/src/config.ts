import path from 'node:path';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const durationUnits = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "5s,5m,30m,2h" → milliseconds; the webhook retry schedule. */
const retryScheduleFromEnv = z
  .string()
  .regex(/^\s*\d+[smhd]\s*(,\s*\d+[smhd]\s*)*$/, { message: 'use durations such as 5s,5m,30m,2h,5h,10h,10h' })
  .transform((text) =>
    text.split(',').map((part) => {
      const trimmed = part.trim();
      const unit = trimmed.slice(-1) as keyof typeof durationUnits;
      return Number(trimmed.slice(0, -1)) * durationUnits[unit];
    }),
  );

/** The roles a group mapping may give: an owner is always made by another owner, never by a provider's group. */
const groupRoleNames = ['admin', 'member', 'viewer'] as const;
export type GroupRole = (typeof groupRoleNames)[number];

/** "engineering=member,platform=admin" → Map { engineering → member, platform → admin }. */
function parseGroupRoles(text: string, context: z.RefinementCtx): Map<string, GroupRole> {
  const roles = new Map<string, GroupRole>();
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const equals = pair.lastIndexOf('=');
    const group = pair.slice(0, equals).trim();
    const role = groupRoleNames.find((name) => name === pair.slice(equals + 1).trim());
    if (equals <= 0 || group === '' || !role) {
      context.addIssue({
        code: 'custom',
        message: `MISSION_OIDC_GROUP_ROLES must be group=role pairs separated by commas, with role admin, member or viewer; "${pair.trim()}" is not`,
      });
      continue;
    }
    roles.set(group, role);
  }
  return roles;
}

/** "a=1,b=2" → { a: '1', b: '2' }, values percent-decoded as the OpenTelemetry specification says. */
function parseOtlpHeaders(text: string): Record<string, string> {
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim())] as const;
    });
  return Object.fromEntries(pairs);
}

const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    MISSION_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
      .optional(),
    MISSION_ADMIN_EMAIL: z.email().optional(),
    MISSION_ADMIN_PASSWORD: z.string().min(10, { message: 'MISSION_ADMIN_PASSWORD must be at least 10 characters' }).optional(),
    MISSION_SECRET: z
      .string()
      .min(32, { message: 'MISSION_SECRET must be at least 32 characters' })
      .optional()
      .describe('Signs access tokens; generated once and kept in the database when not given'),
    MISSION_PUBLIC_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Where people and agents reach this server, such as https://mission.example.com; the API document lists it'),
    MISSION_CORS_ORIGINS: z.string().default(''),
    MISSION_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1_024)
      .max(100 * 1_024 * 1_024)
      .default(1_048_576),
    MISSION_ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_024 * 1_024 * 1_024)
      .default(25 * 1_024 * 1_024)
      .describe('The largest file that can be attached to a task or message, in bytes'),
    MISSION_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    MISSION_MARKETPLACE_FEE_PERCENT: z.coerce
      .number()
      .min(0)
      .max(100)
      .default(10)
      .describe('The platform’s share of every marketplace sale, in percent'),
    MISSION_REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .default(30 * 86_400),
    MISSION_TRUST_PROXY: booleanFromEnv.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MISSION_LOG_PRETTY: booleanFromEnv.optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
      .optional()
      .describe('Shares rate-limit counters between instances; in memory when not set'),
    MISSION_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1_200),
    MISSION_LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    MISSION_UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    MISSION_LLM_BASE_URL: z
      .url()
      .optional()
      .describe('The workspace default OpenAI-compatible endpoint, such as http://127.0.0.1:11434/v1'),
    MISSION_LLM_API_KEY: z.string().optional(),
    MISSION_LLM_MODEL: z.string().min(1).optional(),
    MISSION_ANTHROPIC_API_KEY: z.string().optional(),
    MISSION_ANTHROPIC_BASE_URL: z.url().optional(),
    MISSION_OPENAI_API_KEY: z.string().optional(),
    MISSION_OPENAI_BASE_URL: z.url().optional(),
    MISSION_SCHEDULER_ENABLED: booleanFromEnv.default(true),
    MISSION_SCHEDULER_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    MISSION_MAX_CONCURRENT_TURNS: z.coerce.number().int().min(1).max(100).default(4),
    MISSION_FETCH_ALLOW_HOSTS: z.string().default('').describe('Host names fetch_url may reach although they resolve to private addresses'),
    MISSION_AGENT_REPOSITORY_ROOTS: z
      .string()
      .default('')
      .refine(
        (value) =>
          value
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean)
            .every((entry) => path.isAbsolute(entry)),
        { message: 'MISSION_AGENT_REPOSITORY_ROOTS must list absolute folders, separated by commas' },
      )
      .describe('Folders whose git repositories built-in agents may be given to work in; none by default (the feature is off)'),
    PATH: z.string().default('/usr/local/bin:/usr/bin:/bin'),
    HOME: z.string().optional(),
    MISSION_MCP_SESSION_IDLE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
    MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS: booleanFromEnv
      .default(false)
      .describe('Lets webhooks and Slack/Discord URLs reach private and loopback addresses (self-hosted setups, tests)'),
    MISSION_WEBHOOKS_RETRY_SCHEDULE: retryScheduleFromEnv.default([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]),
    MISSION_SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, { message: 'MISSION_SMTP_URL must be an smtp:// or smtps:// URL' })
      .optional()
      .describe('The SMTP server notification email goes through, such as smtp://user:pass@mail.example.com:587'),
    MISSION_SMTP_FROM: z.string().min(3).default('Mission Control <mission@localhost>'),
    MISSION_GITHUB_API_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://api.github.com')
      .describe('The GitHub REST API the GitHub integration calls: a GitHub Enterprise API such as https://github.example.com/api/v3'),
    MISSION_EMBEDDINGS_BASE_URL: z
      .url()
      .optional()
      .describe(
        'An OpenAI-compatible endpoint answering POST /embeddings, such as http://127.0.0.1:11434/v1 (Ollama); memory search is full-text only without it',
      ),
    MISSION_EMBEDDINGS_MODEL: z.string().min(1).optional(),
    MISSION_EMBEDDINGS_API_KEY: z.string().optional(),
    MISSION_MEMORY_LIMIT_PER_AGENT: z.coerce.number().int().min(10).max(1_000_000).default(2_000),
    MISSION_METRICS_TOKEN: z
      .string()
      .min(16, { message: 'MISSION_METRICS_TOKEN must be at least 16 characters' })
      .optional()
      .describe('The bearer token a Prometheus scraper sends to GET /metrics (owners and admins can use their own credentials)'),
    MISSION_STATUS_PAGE: booleanFromEnv
      .default(false)
      .describe('1 serves the public status page at /status and GET /api/v1/status without sign-in (404 otherwise)'),
    MISSION_INSTANCE_ID: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('How this instance is named in system metrics and health samples; hostname:port by default'),
    MISSION_OIDC_ISSUER: z
      .url()
      .optional()
      .describe('The OpenID Connect issuer URL (Google, Entra, Okta, Keycloak, Authentik…); SSO is off without it'),
    MISSION_OIDC_CLIENT_ID: z.string().min(1).optional(),
    MISSION_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    MISSION_OIDC_ALLOWED_DOMAINS: z
      .string()
      .default('')
      .describe('Comma-separated email domains that may sign in with SSO; all when empty'),
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('An OpenTelemetry collector (OTLP/HTTP), such as http://127.0.0.1:4318; tracing is off (and not loaded) without it'),
    OTEL_EXPORTER_OTLP_PROTOCOL: z
      .enum(['http/json'], {
        message: 'OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (the OTLP/HTTP port of a collector, usually 4318, accepts it)',
      })
      .default('http/json'),
    OTEL_EXPORTER_OTLP_HEADERS: z
      .string()
      .default('')
      .refine((value) => value.split(',').every((pair) => pair.trim() === '' || /^[^=]+=.*$/.test(pair)), {
        message: 'OTEL_EXPORTER_OTLP_HEADERS must be name=value pairs separated by commas, such as api-key=secret',
      }),
    OTEL_SERVICE_NAME: z.string().min(1).default('mission-control'),
    MISSION_OIDC_PROVIDER_NAME: z.string().min(1).default('SSO').describe('What the sign-in button says after “Sign in with”'),
    MISSION_OIDC_GROUP_ROLES: z
      .string()
      .default('')
      .transform((value, context) => parseGroupRoles(value, context))
      .describe(
        'Comma-separated group=role pairs (role admin, member or viewer): a person signing in with SSO whose groups include one joins MISSION_OIDC_GROUP_WORKSPACE with the highest such role',
      ),
    MISSION_OIDC_GROUPS_CLAIM: z
      .string()
      .min(1)
      .default('groups')
      .describe('The ID token or userinfo claim that lists the person’s groups'),
    MISSION_OIDC_GROUP_WORKSPACE: z
      .string()
      .min(1)
      .optional()
      .describe('The workspace id the group roles apply to; the oldest workspace of the instance when left out'),
    MISSION_OIDC_EXTRA_SCOPES: z
      .string()
      .default('')
      .describe('More scopes to ask the provider for, separated by spaces, such as groups (Okta) for the groups claim'),
    MISSION_STRIPE_SECRET_KEY: z.string().min(1).optional().describe('Buying credits with a card (Stripe Checkout); never logged'),
    MISSION_STRIPE_WEBHOOK_SECRET: z.string().min(1).optional().describe('The signing secret of the Stripe webhook endpoint'),
    MISSION_STRIPE_API_URL: z.url().default('https://api.stripe.com').describe('The Stripe API: a local stand-in in tests'),
  })
  .refine((env) => !env.MISSION_STRIPE_SECRET_KEY || env.MISSION_STRIPE_WEBHOOK_SECRET, {
    message: 'MISSION_STRIPE_SECRET_KEY needs MISSION_STRIPE_WEBHOOK_SECRET too: without it no payment could be confirmed',
    path: ['MISSION_STRIPE_WEBHOOK_SECRET'],
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    dataDirectory: path.resolve(env.MISSION_DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    admin:
      env.MISSION_ADMIN_EMAIL && env.MISSION_ADMIN_PASSWORD
        ? { email: env.MISSION_ADMIN_EMAIL.toLowerCase(), password: env.MISSION_ADMIN_PASSWORD }
        : undefined,
    secret: env.MISSION_SECRET,
    publicUrl: env.MISSION_PUBLIC_URL?.replace(/\/+$/, ''),
    corsOrigins: env.MISSION_CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    bodyLimitBytes: env.MISSION_BODY_LIMIT_BYTES,
    attachmentMaxBytes: env.MISSION_ATTACHMENT_MAX_BYTES,
    accessTokenTtlSeconds: env.MISSION_ACCESS_TOKEN_TTL_SECONDS,
    marketplaceFeePercent: env.MISSION_MARKETPLACE_FEE_PERCENT,
    stripe:
      env.MISSION_STRIPE_SECRET_KEY && env.MISSION_STRIPE_WEBHOOK_SECRET
        ? { secretKey: env.MISSION_STRIPE_SECRET_KEY, webhookSecret: env.MISSION_STRIPE_WEBHOOK_SECRET, apiUrl: env.MISSION_STRIPE_API_URL }
        : undefined,
    refreshTokenTtlSeconds: env.MISSION_REFRESH_TOKEN_TTL_SECONDS,
    trustProxy: env.MISSION_TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    logPretty: env.MISSION_LOG_PRETTY,
    redisUrl: env.REDIS_URL,
    rateLimitPerMinute: env.MISSION_RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: env.MISSION_LOGIN_RATE_LIMIT_PER_MINUTE,
    unauthenticatedRateLimitPerMinute: env.MISSION_UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE,
    // Provider keys live here and nowhere else: never in the database, never in an API answer.
    models: {
      defaultEndpoint: env.MISSION_LLM_BASE_URL
        ? { baseUrl: env.MISSION_LLM_BASE_URL, apiKey: env.MISSION_LLM_API_KEY, model: env.MISSION_LLM_MODEL }
        : undefined,
      anthropic: env.MISSION_ANTHROPIC_API_KEY
        ? { apiKey: env.MISSION_ANTHROPIC_API_KEY, baseUrl: env.MISSION_ANTHROPIC_BASE_URL }
        : undefined,
      openai: env.MISSION_OPENAI_API_KEY ? { apiKey: env.MISSION_OPENAI_API_KEY, baseUrl: env.MISSION_OPENAI_BASE_URL } : undefined,
      defaultModel: env.MISSION_LLM_MODEL,
    },
    scheduler: {
      enabled: env.MISSION_SCHEDULER_ENABLED,
      tickMs: env.MISSION_SCHEDULER_TICK_MS,
      maxConcurrentTurns: env.MISSION_MAX_CONCURRENT_TURNS,
    },
    fetchAllowedHosts: env.MISSION_FETCH_ALLOW_HOSTS.split(',')
      .map((host) => host.trim())
      .filter(Boolean),
    // Built-in agents' workspaces: where repositories may be, and what their commands and git run with.
    agentWorkspaces: {
      repositoryRoots: env.MISSION_AGENT_REPOSITORY_ROOTS.split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry) => path.resolve(entry)),
      commandPath: env.PATH,
      gitEnvironment: { PATH: env.PATH, ...(env.HOME ? { HOME: env.HOME } : {}) },
    },
    mcpSessionIdleSeconds: env.MISSION_MCP_SESSION_IDLE_SECONDS,
    integrations: {
      allowPrivateTargets: env.MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS,
      retryScheduleMs: env.MISSION_WEBHOOKS_RETRY_SCHEDULE,
      smtp: env.MISSION_SMTP_URL ? { url: env.MISSION_SMTP_URL, from: env.MISSION_SMTP_FROM } : undefined,
      githubApiUrl: env.MISSION_GITHUB_API_URL.replace(/\/+$/, ''),
    },
    memory: {
      embeddings:
        env.MISSION_EMBEDDINGS_BASE_URL && env.MISSION_EMBEDDINGS_MODEL
          ? { baseUrl: env.MISSION_EMBEDDINGS_BASE_URL, model: env.MISSION_EMBEDDINGS_MODEL, apiKey: env.MISSION_EMBEDDINGS_API_KEY }
          : undefined,
      limitPerAgent: env.MISSION_MEMORY_LIMIT_PER_AGENT,
    },
    metricsToken: env.MISSION_METRICS_TOKEN,
    statusPage: env.MISSION_STATUS_PAGE,
    instanceId: env.MISSION_INSTANCE_ID,
    tracing: env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? {
          endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
          serviceName: env.OTEL_SERVICE_NAME,
          headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
        }
      : undefined,
    oidc:
      env.MISSION_OIDC_ISSUER && env.MISSION_OIDC_CLIENT_ID && env.MISSION_OIDC_CLIENT_SECRET
        ? {
            issuer: env.MISSION_OIDC_ISSUER,
            clientId: env.MISSION_OIDC_CLIENT_ID,
            clientSecret: env.MISSION_OIDC_CLIENT_SECRET,
            allowedEmailDomains: env.MISSION_OIDC_ALLOWED_DOMAINS.split(',')
              .map((domain) => domain.trim().toLowerCase())
              .filter(Boolean),
            providerName: env.MISSION_OIDC_PROVIDER_NAME,
            allowInsecureRequests: env.MISSION_OIDC_ISSUER.startsWith('http://'),
            extraScopes: env.MISSION_OIDC_EXTRA_SCOPES.split(/\s+/).filter(Boolean),
            groupRoles: {
              roles: env.MISSION_OIDC_GROUP_ROLES,
              claim: env.MISSION_OIDC_GROUPS_CLAIM,
              workspaceId: env.MISSION_OIDC_GROUP_WORKSPACE,
            },
          }
        : undefined,
  }));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the configuration once, at start. Explicit overrides win over the environment,
 * which wins over defaults; nothing else in the server reads process.env.
 */
export function loadConfig(environment: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const relevant = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const result = configSchema.safeParse(relevant);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  return { ...result.data, ...overrides };
}

/** Where SQLite keeps attachment bytes: the data directory's `attachments` (PostgreSQL keeps them in the database). */
export function attachmentDirectoryOf(config: Pick<Config, 'dataDirectory'>): string {
  return path.join(config.dataDirectory, 'attachments');
}
