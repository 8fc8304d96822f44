import path from 'node:path';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

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
    MISSION_CORS_ORIGINS: z.string().default(''),
    MISSION_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1_024)
      .max(100 * 1_024 * 1_024)
      .default(1_048_576),
    MISSION_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
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
    corsOrigins: env.MISSION_CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    bodyLimitBytes: env.MISSION_BODY_LIMIT_BYTES,
    accessTokenTtlSeconds: env.MISSION_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.MISSION_REFRESH_TOKEN_TTL_SECONDS,
    trustProxy: env.MISSION_TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    logPretty: env.MISSION_LOG_PRETTY,
    redisUrl: env.REDIS_URL,
    rateLimitPerMinute: env.MISSION_RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: env.MISSION_LOGIN_RATE_LIMIT_PER_MINUTE,
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
