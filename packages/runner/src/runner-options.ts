import fs from 'node:fs';
import { type RunnerAdapterName, runnerAdapterNameSchema } from '@mission-control/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** One agent a runner works for: its key, the adapter it drives and how. */
export interface RunnerAgentOptions {
  /** The agent's API key (mc_…). */
  apiKey: string;
  /** The agent's name or id, checked against the key. */
  agent?: string | undefined;
  adapter: RunnerAdapterName;
  /** The executable and its leading arguments (the process adapter's command, or another path to the CLI). */
  command?: string[] | undefined;
  model?: string | undefined;
  /** The test gate's command for this agent (overrides the runner's). */
  testCommand?: string | undefined;
}

/** Everything `mission runner` is told, from flags or mission-runner.yaml. */
export interface RunnerOptions {
  serverUrl: string;
  agents: RunnerAgentOptions[];
  /** The git repository the tasks are worked on in (worktrees under `.mission/worktrees`). */
  workdir: string;
  /** Runs at once across the runner's agents (each agent's own concurrency limit also holds). */
  concurrency: number;
  testCommand?: string | undefined;
  /** Failed test runs sent back to the agent before the task is escalated. */
  maxTestSendBacks: number;
  /** Take at most one task per agent, finish it, and exit. */
  once: boolean;
  timeoutMs: number;
  testTimeoutMs: number;
  maxOutputBytes: number;
  leaseSeconds: number;
  pollIntervalMs: number;
  heartbeatIntervalSeconds: number;
  /** The first backoff after a failed run; it doubles up to 30 minutes. */
  failureBackoffMs: number;
  /** The environment the runner was started with: the CLIs get a scrubbed part of it. */
  environment: Record<string, string | undefined>;
  /** More environment variables to pass to the CLIs. */
  passEnvironment: string[];
  /** Where the runner keeps its key; `<workdir>/.mission` by default. */
  stateDirectory?: string | undefined;
  name?: string | undefined;
  version: string;
  log: (line: string) => void;
}

/** Defaults of the tunables. */
export const runnerDefaults = {
  concurrency: 1,
  maxTestSendBacks: 3,
  timeoutMs: 30 * 60_000,
  testTimeoutMs: 10 * 60_000,
  maxOutputBytes: 20 * 1024 * 1024,
  leaseSeconds: 300,
  pollIntervalMs: 5_000,
  heartbeatIntervalSeconds: 15,
  failureBackoffMs: 30_000,
} as const;

const agentEntrySchema = z.strictObject({
  agent: z.string().min(1).optional().describe('name or id'),
  apiKey: z.string().min(1).optional(),
  apiKeyEnv: z.string().min(1).optional().describe('the environment variable holding the key'),
  adapter: runnerAdapterNameSchema,
  command: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  model: z.string().min(1).optional(),
  test: z.string().min(1).optional(),
});

const configFileSchema = z.strictObject({
  url: z.string().url().optional(),
  workdir: z.string().min(1).optional(),
  concurrency: z.number().int().min(1).max(100).optional(),
  test: z.string().min(1).optional(),
  timeoutMinutes: z.number().positive().optional(),
  passEnvironment: z.array(z.string().min(1)).optional(),
  agents: z.array(agentEntrySchema).min(1),
});
export type RunnerConfigFile = z.infer<typeof configFileSchema>;

/** Splits a command line on spaces, keeping quoted parts together: `node "my script.js" --fast`. */
export function splitCommand(command: string): string[] {
  const parts: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of command.matchAll(pattern)) parts.push(match[1] ?? match[2] ?? match[3] ?? '');
  return parts;
}

/** Reads mission-runner.yaml: agent/adapter pairs and shared settings; keys can come from the environment. */
export function readRunnerConfigFile(
  file: string,
  environment: Record<string, string | undefined>,
): { config: RunnerConfigFile; agents: RunnerAgentOptions[] } {
  let document: unknown;
  try {
    document = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} could not be read as YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = configFileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file} is not a valid runner configuration: ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  const agents = parsed.data.agents.map((entry, index) => {
    const apiKey = entry.apiKey ?? (entry.apiKeyEnv ? environment[entry.apiKeyEnv] : environment.MISSION_API_KEY);
    if (!apiKey) {
      throw new Error(
        `${file}: agents[${index}] has no API key: give apiKey, apiKeyEnv naming a variable that is set, or export MISSION_API_KEY.`,
      );
    }
    return {
      apiKey,
      agent: entry.agent,
      adapter: entry.adapter,
      command: entry.command === undefined ? undefined : typeof entry.command === 'string' ? splitCommand(entry.command) : entry.command,
      model: entry.model,
      testCommand: entry.test,
    };
  });
  return { config: parsed.data, agents };
}
