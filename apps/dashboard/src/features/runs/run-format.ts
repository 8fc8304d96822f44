import type { AgentRun } from '@mission-control/contracts';

/** "850 ms", "42 s", "3 min 5 s", "1 h 2 min": how long a run took, as a person says it. */
export function formatDuration(milliseconds: number | null | undefined): string {
  if (milliseconds === null || milliseconds === undefined) return '—';
  if (milliseconds < 1_000) return `${Math.max(0, Math.round(milliseconds))} ms`;
  const seconds = Math.round(milliseconds / 1_000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** The run's duration: recorded once it ended, counted up from its start while it runs. */
export function runDuration(run: Pick<AgentRun, 'durationMs' | 'startedAt' | 'status'>, now: number): string {
  if (run.status === 'running') return formatDuration(now - Date.parse(run.startedAt));
  return formatDuration(run.durationMs);
}

export type RunOutcome = AgentRun['status'] | 'stopping';

/** What to call a run's state: a running run someone asked to stop is "stopping". */
export function runOutcome(run: Pick<AgentRun, 'status' | 'cancelRequestedAt'>): RunOutcome {
  return run.status === 'running' && run.cancelRequestedAt ? 'stopping' : run.status;
}

export const outcomeLabels: Record<RunOutcome, string> = {
  running: 'Running',
  stopping: 'Stop requested',
  completed: 'Completed',
  'step-limit': 'Step limit',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const outcomeClass: Record<RunOutcome, string> = {
  running: 'bg-status-active text-black',
  stopping: 'bg-status-blocked text-black',
  completed: 'bg-status-idle text-black',
  'step-limit': 'bg-status-blocked text-black',
  failed: 'bg-signal text-black',
  cancelled: 'bg-status-offline text-black',
};

export function outcomeClassName(outcome: RunOutcome): string {
  return outcomeClass[outcome];
}

/** Tokens in and out as one figure: "1,500 tokens". */
export function formatTokens(run: Pick<AgentRun, 'tokensIn' | 'tokensOut'>): string {
  const total = run.tokensIn + run.tokensOut;
  return `${total.toLocaleString('en-US')} ${total === 1 ? 'token' : 'tokens'}`;
}

/** A commit as git shows it in one line: its first seven characters. */
export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}
