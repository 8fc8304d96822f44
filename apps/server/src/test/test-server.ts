import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { type BuildAppOptions, buildApp } from '../app.js';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../core/clock.js';
import { type DatabaseHandle, type Engine, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { createEventStream, type EventStream, type EventStreamOptions } from '../events/event-stream.js';
import { createServices, type IntegrationSettings, type ServiceOptions, type Services } from '../services.js';
import type { Tracing } from '../tracing/tracing.js';
import { postgresTestUrl } from './engines.js';
import { copyPrefix, createScratchPostgresDatabase } from './postgres-scratch.js';

/** A clock that moves only when told to. */
export interface TestClock extends Clock {
  advance(milliseconds: number): void;
  set(date: Date): void;
}

export function createTestClock(start = new Date('2026-01-01T09:00:00.000Z')): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (milliseconds) => {
      current += milliseconds;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}

export interface TestDatabase extends DatabaseHandle {
  /** Drops the PostgreSQL database or deletes the SQLite directory. */
  dispose(): Promise<void>;
}

/** A fresh, migrated database: a temporary SQLite file, or a new database on the test PostgreSQL. */
export async function createTestDatabase(engine: Engine, options: { tracing?: Tracing | undefined } = {}): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-test-'));
    const handle = openDatabase({ dataDirectory: directory, tracing: options.tracing });
    await migrateToLatest(handle.db, handle.engine);
    return {
      ...handle,
      dispose: async () => {
        await handle.close();
        fs.rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  if (!postgresTestUrl) throw new Error('MISSION_TEST_DATABASE_URL is not set');
  // A database of its own per test, copied from the run's migrated template (global-setup.ts):
  // faster than migrating, and nothing another test file drops can be seen from it.
  const template = inject('postgresTemplateDatabase');
  const scratch = await createScratchPostgresDatabase(postgresTestUrl, template ? copyPrefix(template) : 'mc_test', { template });
  const handle = openDatabase({
    dataDirectory: os.tmpdir(),
    databaseUrl: scratch.url,
    postgresPoolSize: 20,
    tracing: options.tracing,
  });
  if (!template) await migrateToLatest(handle.db, handle.engine);
  return {
    ...handle,
    dispose: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}

/** The key test servers sign access tokens with (tests forge tokens with it). */
export const testSigningKey = new TextEncoder().encode('test-signing-key-that-is-long-enough-0123456789');

export const ownerEmail = 'owner@example.com';
export const ownerPassword = 'correct horse battery staple';

export interface TestServer {
  app: FastifyInstance;
  /** Every route the app registered, in order. */
  registeredRoutes: { method: string; url: string }[];
  services: Services;
  stream: EventStream;
  database: TestDatabase;
  clock: TestClock;
  engine: Engine;
  /** Where SQLite keeps attachment bytes (made on the first upload). */
  attachmentDirectory: string;
  /** The first owner's access token. */
  ownerToken: string;
  ownerPrincipal: Principal;
  workspaceId: string;
  /** Creates another workspace (same owner) and returns an access token scoped to it. */
  createOtherWorkspaceToken(): Promise<string>;
  /** Registers an agent through the API and returns it with a fresh API key. */
  createAgentWithKey(input?: Record<string, unknown>): Promise<{ agent: { id: string; name: string }; apiKey: string }>;
  /**
   * Brings a person into the owner's workspace the only way there is: the owner invites the email
   * and the person accepts the link (creating the account, or with its password when it exists).
   * Answers their user id and a signed-in access token.
   */
  addMember(input: AddMemberInput): Promise<{ id: string; email: string; password: string; token: string }>;
  /** Sends a request with a Bearer token (the owner's unless another is given). */
  request(options: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface AddMemberInput {
  email: string;
  role?: 'admin' | 'member' | 'viewer';
  name?: string;
  password?: string;
  /** Who invites: the owner's token unless another owner's or admin's is given. */
  invitedBy?: string;
}

/** The app configuration of tests: rate limits generous enough never to get in the way unless a test lowers them. */
export const testAppConfig: BuildAppOptions['config'] = {
  bodyLimitBytes: 1_048_576,
  corsOrigins: [],
  trustProxy: false,
  rateLimitPerMinute: 100_000,
  loginRateLimitPerMinute: 10_000,
  unauthenticatedRateLimitPerMinute: 10_000,
};

export interface TestServerOptions {
  clock?: TestClock;
  stream?: EventStreamOptions;
  /** Overrides of testAppConfig, e.g. a small rate limit or a REDIS_URL. */
  config?: Partial<BuildAppOptions['config']>;
  rateLimitNamespace?: string;
  /** Mirror WORKING.md here; not mirrored when left out. */
  workingFileDirectory?: string;
  /** Let built-in agents work in repositories under these folders; off when left out. */
  agentWorkspaces?: ServiceOptions['agentWorkspaces'];
  /** The app's logger options (silent when left out). */
  logger?: BuildAppOptions['logger'];
  mcp?: BuildAppOptions['mcp'];
  /** Webhook and notification channel settings (private targets, SMTP, retry jitter). */
  integrations?: IntegrationSettings;
  /** Agent memory settings (an embedding endpoint, the per-agent limit). */
  memory?: ServiceOptions['memory'];
  /** Single sign-on settings (a local oidc-provider in tests). */
  oidc?: ServiceOptions['oidc'];
  /** Spans of requests and statements (startTracing with a local collector); off when left out. */
  tracing?: Tracing;
  /** Card payments (a local Stripe stand-in in tests); off when left out. */
  stripe?: ServiceOptions['stripe'];
}

/** Another instance of a PostgreSQL test server: its own pool, services, tailer and app on the same schema and clock. */
export interface SecondInstance {
  app: FastifyInstance;
  services: Services;
  stream: EventStream;
  request(options: InjectOptions & { token: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Starts a second instance beside a PostgreSQL test server, as a second process would run. */
export async function createSecondInstance(server: TestServer, options: Pick<TestServerOptions, 'memory'> = {}): Promise<SecondInstance> {
  if (server.engine !== 'postgres' || !server.database.databaseUrl) throw new Error('a second instance needs a PostgreSQL test server');
  const database = openDatabase({
    dataDirectory: os.tmpdir(),
    databaseUrl: server.database.databaseUrl,
    ...(server.database.postgresSchema ? { postgresSchema: server.database.postgresSchema } : {}),
    postgresPoolSize: 5,
  });
  const context = { db: database.db, engine: server.engine, clock: server.clock, passwordCost: 1_024 };
  const attachmentDirectory = path.join(os.tmpdir(), `mission-attachments-${randomBytes(6).toString('hex')}`);
  const services = createServices(context, {
    signingKey: testSigningKey,
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 86_400,
    memory: options.memory,
    attachmentDirectory,
  });
  const stream = createEventStream(database, { auth: services.auth, clock: server.clock }, { pollIntervalMs: 200 });
  const app = await buildApp({ config: testAppConfig, services, stream });
  await stream.start();
  return {
    app,
    services,
    stream,
    request: ({ token, ...request }) =>
      app.inject({ ...request, headers: { ...(request.headers ?? {}), authorization: `Bearer ${token}` } }),
    async close() {
      await stream.stop();
      await app.close();
      await database.close();
      fs.rmSync(attachmentDirectory, { recursive: true, force: true });
    },
  };
}

/** A whole app on a fresh database, with a signed-in owner, for tests through app.inject. */
export async function createTestServer(engine: Engine, options: TestServerOptions = {}): Promise<TestServer> {
  const clock = options.clock ?? createTestClock();
  const database = await createTestDatabase(engine, { tracing: options.tracing });
  // A cheap scrypt cost: hundreds of test servers each hash and check the owner's password.
  const context = { db: database.db, engine, clock, passwordCost: 1_024 };
  // Made on the first upload (SQLite only), removed with the server.
  const attachmentDirectory = path.join(os.tmpdir(), `mission-attachments-${randomBytes(6).toString('hex')}`);
  const services = createServices(context, {
    signingKey: testSigningKey,
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 86_400,
    workingFileDirectory: options.workingFileDirectory,
    agentWorkspaces: options.agentWorkspaces,
    integrations: options.integrations,
    memory: options.memory,
    oidc: options.oidc,
    oidcCallbackUrl: options.oidc?.redirectUri ?? 'http://127.0.0.1:4000/api/v1/auth/oidc/callback',
    attachmentDirectory,
    stripe: options.stripe,
  });
  const stream = createEventStream(database, { auth: services.auth, clock }, { pollIntervalMs: 200, ...options.stream });
  const registeredRoutes: { method: string; url: string }[] = [];
  const app = await buildApp({
    onRoute: (route) => registeredRoutes.push(route),
    config: { ...testAppConfig, ...options.config },
    services,
    stream,
    ...(options.rateLimitNamespace ? { rateLimitNamespace: options.rateLimitNamespace } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.mcp ? { mcp: options.mcp } : {}),
    tracing: options.tracing,
  });
  await stream.start();
  const bootstrap = await services.workspaces.bootstrapFirstOwner({ email: ownerEmail, password: ownerPassword });
  const workspaceId = bootstrap.createdOwner?.workspace.id as string;
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ownerEmail, password: ownerPassword } });
  const session = login.json() as { accessToken: string; user: { id: string } };
  const ownerPrincipal: Principal = { kind: 'user', id: session.user.id, workspaceId, role: 'owner', sessionId: null };

  return {
    app,
    registeredRoutes,
    services,
    stream,
    database,
    clock,
    engine,
    attachmentDirectory,
    ownerToken: session.accessToken,
    ownerPrincipal,
    workspaceId,
    async createOtherWorkspaceToken() {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/workspaces',
        headers: { authorization: `Bearer ${session.accessToken}` },
        payload: { name: `Other ${Math.random().toString(36).slice(2, 8)}`, taskKeyPrefix: 'OTHER' },
      });
      const other = created.json() as { id: string };
      const otherLogin = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: ownerEmail, password: ownerPassword, workspaceId: other.id },
      });
      return (otherLogin.json() as { accessToken: string }).accessToken;
    },
    async createAgentWithKey(input = {}) {
      const headers = { authorization: `Bearer ${session.accessToken}` };
      const name = `agent-${Math.random().toString(36).slice(2, 8)}`;
      const agent = await app.inject({ method: 'POST', url: '/api/v1/agents', headers, payload: { name, role: 'specialist', ...input } });
      if (agent.statusCode !== 201) throw new Error(`creating a test agent failed: ${agent.body}`);
      const created = agent.json() as { id: string; name: string };
      const key = await app.inject({ method: 'POST', url: `/api/v1/agents/${created.id}/api-keys`, headers, payload: { name: 'test' } });
      return { agent: created, apiKey: (key.json() as { secret: string }).secret };
    },
    async addMember({ email, role = 'member', name = email.split('@')[0] ?? email, password = 'a long enough password', invitedBy }) {
      const headers = { authorization: `Bearer ${invitedBy ?? session.accessToken}` };
      const invited = await app.inject({ method: 'POST', url: '/api/v1/invitations', headers, payload: { email, role } });
      if (invited.statusCode !== 201) throw new Error(`inviting ${email} failed: ${invited.body}`);
      const { token } = invited.json() as { token: string };
      const accepted = await app.inject({ method: 'POST', url: `/api/v1/invitation-links/${token}/accept`, payload: { name, password } });
      if (accepted.statusCode !== 200) throw new Error(`accepting the invitation of ${email} failed: ${accepted.body}`);
      const joined = accepted.json() as { accessToken: string; user: { id: string; email: string } };
      return { id: joined.user.id, email: joined.user.email, password, token: joined.accessToken };
    },
    request({ token, ...request }) {
      const headers = { ...(request.headers ?? {}) };
      const credential = token === undefined ? session.accessToken : token;
      if (credential) headers.authorization = `Bearer ${credential}`;
      return app.inject({ ...request, headers });
    },
    async close() {
      await stream.stop();
      await app.close();
      await database.dispose();
      fs.rmSync(attachmentDirectory, { recursive: true, force: true });
    },
  };
}
