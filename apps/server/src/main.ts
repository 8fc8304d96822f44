import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { loadSigningKey } from './auth/signing-key.js';
import { attachmentDirectoryOf, type Config, loadConfig } from './config.js';
import { systemClock } from './core/clock.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createPrivateDirectory, writePrivateFile } from './db/private-files.js';
import { createEventStream } from './events/event-stream.js';
import { createEventStreamLagProbe } from './events/event-stream-lag.js';
import { createInjectFetch } from './http/inject-fetch.js';
import { createSystemProbe } from './modules/system/system-probe.js';
import { createSystemSampler } from './modules/system/system-sampler.js';
import { createServerAgentScheduler } from './scheduler/agent-scheduler.js';
import { createMaintenanceJobs, createSystemJobs } from './scheduler/maintenance-jobs.js';
import { MaintenanceLoop } from './scheduler/maintenance-loop.js';
import { createServices } from './services.js';
import { startTracing } from './tracing/tracing.js';

export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  url: string;
  /** Stops accepting requests, finishes those in flight, then closes the database. */
  close(): Promise<void>;
}

/** Level and format; buildApp adds the redaction of secrets (http/log-redaction.ts). */
function createLogger(config: Config) {
  const pretty = config.logPretty ?? process.stdout.isTTY;
  return {
    level: config.logLevel,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  };
}

export interface StartServerOptions {
  /** The built dashboard to serve at `/`; defaults to apps/dashboard/dist beside this package (from src or dist alike). */
  dashboardDirectory?: string;
  /** False keeps the first-owner box off stdout (a throwaway server whose caller signs in itself). */
  announceFirstOwner?: boolean;
}

const defaultDashboardDirectory = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

/** loadConfig → openDatabase → migrate → bootstrap → buildApp → listen. */
export async function startServer(config: Config = loadConfig(), options: StartServerOptions = {}): Promise<RunningServer> {
  // On PostgreSQL too: it holds the first owner's password and the WORKING.md mirrors.
  createPrivateDirectory(config.dataDirectory);
  const tracing = await startTracing(config.tracing);
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDirectory: config.dataDirectory, tracing });
  try {
    await migrateToLatest(database.db, database.engine);
    const context = { db: database.db, engine: database.engine, clock: systemClock };
    const signingKey = await loadSigningKey(database.db, config.secret, systemClock.now());
    const oidcCallbackUrl = `${config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`}/api/v1/auth/oidc/callback`;
    const services = createServices(context, {
      signingKey,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      workingFileDirectory: config.dataDirectory,
      attachmentDirectory: attachmentDirectoryOf(config),
      agentWorkspaces: config.agentWorkspaces,
      integrations: {
        ...config.integrations,
        publicUrl: config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
        onError: (step, error) => app.log.error({ err: error, step }, 'integrations step failed'),
      },
      memory: config.memory,
      alerts: { dataDirectory: config.dataDirectory },
      oidc: config.oidc && { ...config.oidc, redirectUri: oidcCallbackUrl },
      oidcCallbackUrl,
      marketplaceFeePercent: config.marketplaceFeePercent,
      stripe: config.stripe,
    });
    const stream = createEventStream(database, { auth: services.auth, clock: systemClock });
    // WORKING.md on disk follows the event stream: a batch re-renders the files of the workspaces it touched (throttled).
    stream.tailer.subscribe((events) => {
      for (const workspaceId of new Set(events.map((event) => event.workspaceId))) services.workingState.scheduleMirror(workspaceId);
    });
    // Coordination without a model follows the event stream: auto-assignment, released dependencies, review and goal notices.
    stream.tailer.subscribe((events) => {
      services.coordination
        .handleEvents(events.map((event) => event.activity))
        .catch((error: unknown) => app.log.error({ err: error }, 'coordination failed'));
    });
    // The detector's event-stream lag: how long ago the first event this instance has not read was committed.
    services.alerts.watchEventStreamLag(createEventStreamLagProbe(database.db, stream.tailer, systemClock));
    const dashboardDirectory = options.dashboardDirectory ?? defaultDashboardDirectory;
    const app = await buildApp({ config, services, logger: createLogger(config), dashboardDirectory, stream, tracing });
    await stream.start();
    const probe = createSystemProbe({
      dataDirectory: config.dataDirectory,
      websocketClients: () => stream.hub.subscriptionCount,
      poolStats: database.poolStats,
    });
    // Each instance samples itself; the port is the configured one (0 in tests is still one name per process).
    const sampler = createSystemSampler({
      system: services.system,
      instance: { id: config.instanceId ?? `${os.hostname()}:${config.port}`, hostname: os.hostname() },
      probe,
      app,
    });
    const systemJobs = createSystemJobs(sampler);
    const maintenance = new MaintenanceLoop([...createMaintenanceJobs(services), ...systemJobs], (job, error) =>
      app.log.error({ err: error, job }, 'maintenance job failed'),
    );

    services.agentChat.useModels({ models: config.models, fetchAllowedHosts: config.fetchAllowedHosts });
    services.memorySummarizer.useModels({ models: config.models });
    // Built-in agents: heartbeats on their schedule, a model turn only when there is work.
    const agentScheduler = createServerAgentScheduler({
      services,
      apiFetch: createInjectFetch(app),
      config,
      tracing,
      onError: (error, agentId) => app.log.error({ err: error, agentId }, 'agent scheduler failed'),
    });
    const bootstrap = await services.workspaces.bootstrapFirstOwner(config.admin);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

    maintenance.start();
    // A first system sample and health probe at once, so the System and status pages show this instance from the start.
    for (const job of systemJobs.filter((each) => each.name.startsWith('sample-'))) void maintenance.runJob(job);
    if (config.scheduler.enabled) agentScheduler.start();
    if (bootstrap.createdOwner && options.announceFirstOwner !== false) announceFirstOwner(config, url, bootstrap.createdOwner);
    app.log.info({ url, engine: database.engine, dataDirectory: config.dataDirectory }, `Mission Control is listening on ${url}`);

    return {
      app,
      database,
      url,
      async close() {
        await maintenance.stop();
        probe.stop();
        await services.integrationsWorker.drain();
        await agentScheduler.stop();
        await services.heartbeats.flushPresence().catch(() => {});
        await stream.stop();
        await app.close();
        await database.close();
        // Last: the spans of the shutdown itself are sent too.
        await tracing?.shutdown();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    await tracing?.shutdown().catch(() => {});
    throw error;
  }
}

function announceFirstOwner(config: Config, url: string, owner: { email: string; generatedPassword?: string }): void {
  const lines = [`Mission Control created the first owner: ${owner.email}`];
  if (owner.generatedPassword) {
    const file = path.join(config.dataDirectory, 'initial-admin-password.txt');
    createPrivateDirectory(config.dataDirectory);
    writePrivateFile(file, `${owner.email}\n${owner.generatedPassword}\n`);
    lines.push(`Password (shown once, also saved to ${file}): ${owner.generatedPassword}`);
    lines.push('Set MISSION_ADMIN_EMAIL and MISSION_ADMIN_PASSWORD before the first start to choose them yourself.');
  }
  lines.push(
    `Sign in: curl -X POST ${url}/api/v1/auth/login -H 'content-type: application/json' -d '{"email":"${owner.email}","password":"…"}'`,
  );
  const width = Math.max(...lines.map((line) => line.length));
  const border = `+${'-'.repeat(width + 2)}+`;
  process.stdout.write(`\n${border}\n${lines.map((line) => `| ${line.padEnd(width)} |`).join('\n')}\n${border}\n\n`);
}

/** Runs until SIGINT or SIGTERM, then shuts down gracefully. */
export async function runServer(): Promise<void> {
  const server = await startServer();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      server.app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    try {
      await server.close();
      process.exit(0);
    } catch (error) {
      server.app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
