import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MissionControl } from '@mission-control/sdk';
import type { Config } from '@mission-control/server';
import { demoGoal, demoSquad, runScriptedSquad, type SquadMember, secondDemoGoal, sleep } from './scripted-squad.js';

/** How fast the demo squad works: `slow` to follow every step, `fast` for tests and impatient people. */
export type DemoPace = 'slow' | 'normal' | 'fast';

export const demoPaces: Record<
  DemoPace,
  { stepDelayMs: number; roundDelayMs: number; heartbeatIntervalSeconds: number; secondGoalAfterMs: number }
> = {
  slow: { stepDelayMs: 4_000, roundDelayMs: 5_000, heartbeatIntervalSeconds: 60, secondGoalAfterMs: 5 * 60_000 },
  normal: { stepDelayMs: 1_200, roundDelayMs: 2_000, heartbeatIntervalSeconds: 30, secondGoalAfterMs: 2 * 60_000 },
  fast: { stepDelayMs: 50, roundDelayMs: 200, heartbeatIntervalSeconds: 10, secondGoalAfterMs: 5_000 },
};

export interface DemoOptions {
  /** Scripted agents even when a model is configured. */
  scripted?: boolean;
  port?: number;
  /** Where the demo's SQLite file goes; a fresh temporary directory by default. */
  dataDirectory?: string;
  /** The timing of the squad (`normal` by default); the two options below override parts of it. */
  pace?: DemoPace;
  /** Pause between scripted actions. */
  stepDelayMs?: number;
  /** How often built-in agents are checked for work (15 s by default in model mode). */
  heartbeatIntervalSeconds?: number;
  /** Stop the server once the first goal is done (tests, CI). */
  exitWhenDone?: boolean;
  /**
   * Keep the squad alive until the signal aborts: heartbeating, taking new tasks, answering
   * mentions, and a second goal a while after the first. Otherwise runDemo resolves once the
   * first goal is done.
   */
  keepWorking?: boolean;
  /**
   * Run on this server, as the client's user (an owner or admin), instead of starting one: the
   * squad is scripted and joins the workspace next to whoever is there.
   */
  client?: MissionControl;
  /** The environment to read the model settings from (the CLI passes its own; none when left out). */
  environment?: Record<string, string | undefined>;
  log?: (line: string) => void;
  /** Where a step the squad had to skip is reported (standard error by default). */
  warn?: (line: string) => void;
  signal?: AbortSignal;
}

/** Where the demo runs: its own server, or one it was pointed at (closing that one does nothing). */
export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

export interface DemoResult {
  server: DemoServer;
  mode: 'model' | 'scripted';
  goalId: string;
  /** The demo server's owner; null on a server the demo was pointed at. */
  owner: { email: string; password: string } | null;
  /** The squad at work (keepWorking): settles once the signal aborted and the squad stopped. */
  working: Promise<void>;
}

/** True when the environment names a model the built-in agents can call. */
export function hasModelConfigured(environment: Record<string, string | undefined>): boolean {
  const model = environment.MISSION_LLM_MODEL;
  return Boolean(
    model && (environment.MISSION_LLM_BASE_URL || environment.MISSION_ANTHROPIC_API_KEY || environment.MISSION_OPENAI_API_KEY),
  );
}

/** The demo's own server on a fresh SQLite database, and its owner signed in. */
async function startDemoServer(options: DemoOptions, environment: Record<string, string | undefined>) {
  const dataDirectory = options.dataDirectory ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mission-demo-'));
  const owner = { email: 'demo@mission.local', password: `demo-${randomBytes(9).toString('base64url')}` };
  const { loadConfig, startServer } = await import('@mission-control/server');
  const config: Config = loadConfig(
    { ...environment, MISSION_DATA_DIR: dataDirectory, LOG_LEVEL: environment.LOG_LEVEL ?? 'warn', DATABASE_URL: undefined },
    { admin: owner, port: options.port ?? 4000 },
  );
  const server: DemoServer = await startServer(config);
  const ownerClient = new MissionControl({ baseUrl: server.url });
  await ownerClient.auth.login({ email: owner.email, password: owner.password });
  return { server, ownerClient, owner, dataDirectory };
}

/**
 * `mission demo`: a server on a fresh database, a squad (a lead, three specialists and a reviewer)
 * and a goal. With a model configured the squad is made of built-in LLM agents woken by the
 * scheduler; without one, scripted agents drive the same API through the SDK, labelled "scripted".
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const environment = options.environment ?? {};
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  // On someone else's server the squad is scripted: built-in agents would need that server's model settings.
  const mode = !options.scripted && !options.client && hasModelConfigured(environment) ? 'model' : 'scripted';
  const pace = demoPaces[options.pace ?? 'normal'];
  const { server, ownerClient, owner, dataDirectory } = options.client
    ? { server: { url: options.client.baseUrl, close: async () => {} }, ownerClient: options.client, owner: null, dataDirectory: null }
    : await startDemoServer(options, environment);
  const fetchThroughServer = (input: string, init: RequestInit) => globalThis.fetch(input, init);

  const squad = demoSquad(mode === 'scripted');
  const existing = new Map((await ownerClient.agents.list({ limit: 100 }).toArray(1_000)).map((agent) => [agent.name, agent]));
  const apiKeys = {} as Record<SquadMember['key'], string>;
  for (const member of squad) {
    const heartbeatIntervalSeconds = options.heartbeatIntervalSeconds ?? (mode === 'model' ? 15 : pace.heartbeatIntervalSeconds);
    const earlier = existing.get(member.name);
    // A demo run again on the same server takes its squad back instead of failing on the names.
    const agent = earlier
      ? await ownerClient.agents.update(earlier.id, { heartbeatIntervalSeconds })
      : await ownerClient.agents.create({
          name: member.name,
          role: member.role,
          kind: member.kind,
          capabilities: member.capabilities,
          concurrencyLimit: 2,
          heartbeatIntervalSeconds,
          memoryContext: mode === 'scripted' ? 'Scripted demo agent: follows a fixed script, no model.' : '',
        });
    if (mode === 'model') {
      await ownerClient.runtime.updateAgentRuntime(agent.id, { runtime: 'builtin', stepLimit: 12 });
    } else {
      apiKeys[member.key] = (await ownerClient.agents.createApiKey(agent.id, { name: 'demo script' })).secret;
    }
  }
  const goal = await ownerClient.tasks.create(demoGoal);

  log('');
  log(
    `Mission Control demo (${mode === 'model' ? `built-in LLM agents on ${environment.MISSION_LLM_MODEL}` : 'SCRIPTED agents: no model configured'})`,
  );
  log(`  open       ${server.url}`);
  log(owner ? `  sign in    ${owner.email} / ${owner.password}` : '  sign in    with your own account');
  log(`  squad      ${squad.map((member) => `${member.name} (${member.role})`).join(', ')}`);
  log(`  goal       ${goal.key} ${goal.title}`);
  if (dataDirectory) log(`  data       ${dataDirectory}`);
  if (options.keepWorking && !options.exitWhenDone) {
    log(
      `  try        create a task needing ${[...new Set(squad.flatMap((member) => member.capabilities))].join(', ')}, or @mention an agent in a thread`,
    );
  }
  if (mode === 'scripted') log('  (set MISSION_LLM_BASE_URL and MISSION_LLM_MODEL, e.g. a local Ollama, to run real LLM agents)');
  log('');

  const unsubscribe = ownerClient.events.subscribe({
    onEvent: (activity) => {
      if (activity.type === 'run-step' || activity.type === 'notification-created') return;
      log(`  · ${activity.summary}`);
    },
  });
  const keepWorking = options.keepWorking === true && !options.exitWhenDone;
  const work = async () => {
    if (mode === 'scripted') {
      await runScriptedSquad({
        baseUrl: server.url,
        squad,
        apiKeys,
        goalId: goal.id,
        fetch: fetchThroughServer,
        stepDelayMs: options.stepDelayMs ?? pace.stepDelayMs,
        roundDelayMs: options.stepDelayMs ?? pace.roundDelayMs,
        untilGoalDone: !keepWorking,
        ...(keepWorking
          ? {
              onError: (agentName: string, error: unknown) =>
                warn(`! ${agentName} skipped a step: ${error instanceof Error ? error.message : String(error)}`),
            }
          : {}),
        log: (line) => log(`> ${line}`),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return;
    }
    // The scheduler wakes the built-in agents; wait for the goal to close (or, kept working, for Ctrl-C).
    for (;;) {
      if (options.signal?.aborted) return;
      if (!keepWorking && (await ownerClient.tasks.get(goal.id)).status === 'done') return;
      await sleep(2_000, options.signal);
    }
  };
  const reportFirstGoal = async () => {
    const usage = await ownerClient.runtime.usage();
    log('');
    log(`Goal ${goal.key} is done. Model calls: ${usage.total.modelCalls}, tokens: ${usage.total.tokensIn + usage.total.tokensOut}.`);
  };
  if (!keepWorking) {
    try {
      await work();
      await reportFirstGoal();
    } finally {
      unsubscribe();
      if (options.exitWhenDone) await server.close();
    }
    return { server, mode, goalId: goal.id, owner, working: Promise.resolve() };
  }
  // Kept working, the squad never ends on its own: say when the first goal closes, as the
  // one-shot demo does, so whoever watches knows the squad has shown its whole loop once.
  const firstGoal = (async () => {
    for (;;) {
      if (options.signal?.aborted) return;
      if ((await ownerClient.tasks.get(goal.id)).status === 'done') {
        await reportFirstGoal();
        log('The squad keeps working: create a task or @mention an agent to see it answer; Ctrl-C to stop.');
        return;
      }
      await sleep(2_000, options.signal);
    }
  })();
  const secondGoal = (async () => {
    await sleep(pace.secondGoalAfterMs, options.signal);
    if (options.signal?.aborted) return;
    const next = await ownerClient.tasks.create(secondDemoGoal);
    log(`A second goal arrives: ${next.key} ${next.title}`);
  })();
  const working = Promise.all([work(), firstGoal, secondGoal]).then(
    () => unsubscribe(),
    (error: unknown) => {
      unsubscribe();
      throw error;
    },
  );
  return { server, mode, goalId: goal.id, owner, working };
}
