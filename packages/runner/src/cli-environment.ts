import type { Adapter } from './adapters/index.js';

/** What every CLI gets from the runner's environment: finding programs, a home, a locale, a temp directory. */
const baseNames = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TERM', 'TMPDIR', 'TZ'];

/**
 * The CLI's environment: the base names, the adapter's own (its credentials and settings), the
 * ones asked for with passEnvironment, and the run's MISSION_* facts. Nothing else — in
 * particular not the runner's Mission Control key.
 */
export function buildCliEnvironment(
  source: Record<string, string | undefined>,
  adapter: Adapter,
  passEnvironment: readonly string[],
  facts: Record<string, string>,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of [...baseNames, ...adapter.environmentNames, ...passEnvironment]) {
    const value = source[name];
    if (value !== undefined && !name.startsWith('MISSION_')) environment[name] = value;
  }
  return { ...environment, ...facts };
}

/** The environment of git and the test command: the base names and what was passed on purpose. */
export function buildToolEnvironment(
  source: Record<string, string | undefined>,
  passEnvironment: readonly string[],
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of [...baseNames, ...passEnvironment]) {
    const value = source[name];
    if (value !== undefined && !name.startsWith('MISSION_')) environment[name] = value;
  }
  return environment;
}
