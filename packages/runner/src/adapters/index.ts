import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunnerAdapter, RunnerAdapterName } from '@mission-control/contracts';
import type { Adapter } from './adapter.js';
import { claudeCodeAdapter } from './claude-code.js';
import { codexAdapter } from './codex.js';
import { geminiAdapter } from './gemini.js';
import { opencodeAdapter } from './opencode.js';
import { processAdapter } from './process.js';

export type { Adapter, AdapterInvocation, AdapterOutcome, AdapterParser, AdapterRequest } from './adapter.js';

/** Every adapter by name. */
export const adapters: Readonly<Record<RunnerAdapterName, Adapter>> = {
  'claude-code': claudeCodeAdapter,
  codex: codexAdapter,
  gemini: geminiAdapter,
  opencode: opencodeAdapter,
  process: processAdapter,
};

/** Where an executable is on a PATH, or undefined. */
export function findExecutable(executable: string, searchPath: string): string | undefined {
  if (executable.includes('/')) return fs.existsSync(executable) ? executable : undefined;
  for (const directory of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(directory, executable);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What `<executable> --version` prints (first line), or null when it does not answer within 5 s. */
function readVersion(executable: string, environment: Record<string, string>): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(executable, ['--version'], { env: environment, timeout: 5_000 }, (error, stdout) => {
      const line = stdout.split('\n')[0]?.trim() ?? '';
      resolve(error || !line ? null : line.slice(0, 200));
    });
  });
}

/** The agent CLIs found on the PATH, with their versions (the process adapter is always there). */
export async function detectAdapters(environment: Record<string, string>): Promise<RunnerAdapter[]> {
  const found: RunnerAdapter[] = [];
  for (const adapter of Object.values(adapters)) {
    if (adapter.name === 'process') continue;
    const location = findExecutable(adapter.executable, environment.PATH ?? '');
    if (location) found.push({ name: adapter.name, version: await readVersion(location, environment) });
  }
  found.push({ name: 'process', version: null });
  return found;
}
