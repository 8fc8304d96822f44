import type { RunnerAdapterName } from '@mission-control/contracts';
import type { RunStepOptions } from '@mission-control/sdk';

/** What an adapter needs to start its CLI on one run. */
export interface AdapterRequest {
  prompt: string;
  /** The prompt written to a file in the worktree's .mission directory (MISSION_PROMPT_FILE). */
  promptFile: string;
  /** The CLI session a follow-up resumes, or null for a fresh one. */
  sessionId: string | null;
  /** The `--command` given for this agent: the process adapter's command, or another executable for the others. */
  command: readonly string[] | undefined;
  model: string | undefined;
}

/** How to start the CLI: the executable, its arguments and what goes to its stdin. */
export interface AdapterInvocation {
  command: string;
  args: string[];
  stdin: string;
}

/** What the CLI reported by its end: usage, cost, session and its final answer. */
export interface AdapterOutcome {
  sessionId: string | null;
  model: string | undefined;
  tokensIn: number;
  tokensOut: number;
  costMicroDollars: number;
  /** Turns (num_turns), or model calls counted from the stream. */
  modelCalls: number;
  output: string;
  /** The CLI's own verdict, when it gives one (claude's is_error, codex's turn.failed). */
  reportedError: string | null;
}

/** Reads one run's output line by line: each line becomes steps, and the outcome accumulates. */
export interface AdapterParser {
  parseLine(line: string): RunStepOptions[];
  outcome(): AdapterOutcome;
}

/** One agent CLI: how to call it, which environment it needs, and how to read what it prints. */
export interface Adapter {
  name: RunnerAdapterName;
  /** The executable looked up on PATH (and asked for `--version`). */
  executable: string;
  /** Environment variables passed through to the CLI (credentials and settings it reads); everything else is scrubbed. */
  environmentNames: readonly string[];
  invocation(request: AdapterRequest): AdapterInvocation;
  createParser(): AdapterParser;
}

/** A parsed JSON object of one line, or undefined when the line is not a JSON object. */
export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : undefined;
  } catch {
    return undefined;
  }
}

/** A field of an unknown object, whatever it holds. */
export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined;
}

/** A field of an unknown object, as a record (or undefined). */
export function recordField(value: unknown, name: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field: unknown = Reflect.get(value, name);
  return typeof field === 'object' && field !== null && !Array.isArray(field) ? Object.fromEntries(Object.entries(field)) : undefined;
}

/** A field of an unknown object, as a string (or undefined). */
export function stringField(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field: unknown = Reflect.get(value, name);
  return typeof field === 'string' ? field : undefined;
}

/** A field of an unknown object, as a finite number (or 0). */
export function numberField(value: unknown, name: string): number {
  if (typeof value !== 'object' || value === null) return 0;
  const field: unknown = Reflect.get(value, name);
  return typeof field === 'number' && Number.isFinite(field) ? field : 0;
}

/** A field of an unknown object, as an array (or empty). */
export function arrayField(value: unknown, name: string): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  const field: unknown = Reflect.get(value, name);
  return Array.isArray(field) ? field : [];
}

/** The step recording a line that could not be read: the run goes on. */
export function parseErrorStep(line: string, why: string): RunStepOptions {
  return { kind: 'parse-error', text: line.slice(0, 2_000), result: why, isError: true };
}

/** A tool result or output, shortened for the transcript. */
export function clip(text: string, max = 4_000): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** Text of a tool result's content: a string, or an array of text blocks. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((block) => stringField(block, 'text') ?? '').join('');
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** Dollars (as the CLIs report them) to micro-dollars, the platform's integer unit. */
export function toMicroDollars(dollars: number): number {
  return Math.max(0, Math.round(dollars * 1_000_000));
}
