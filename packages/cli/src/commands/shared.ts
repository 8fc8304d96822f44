import type { PrincipalReference } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import type { Command } from 'commander';
import { type ConnectionFlags, createClient } from '../config.js';
import { UsageError } from '../exit-codes.js';

/** Options every command accepts (declared once on the program). */
export interface GlobalOptions extends ConnectionFlags {
  json?: boolean;
}

/** The global options as seen from a subcommand. */
export function globalOptions(command: Command): GlobalOptions {
  const options = command.optsWithGlobals();
  return {
    url: typeof options.url === 'string' ? options.url : undefined,
    apiKey: typeof options.apiKey === 'string' ? options.apiKey : undefined,
    json: options.json === true,
  };
}

/** A client for the command's connection flags, environment or stored login. */
export function clientFor(command: Command): Promise<MissionControl> {
  return createClient(globalOptions(command));
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Resolves an agent given as id, name, or `me` (the agent behind the key). */
export async function resolveAgentId(client: MissionControl, reference: string): Promise<string> {
  if (uuidPattern.test(reference)) return reference;
  if (reference === 'me') return client.agents.currentAgentId();
  for await (const agent of client.agents.list({ limit: 200 })) {
    if (agent.name.toLowerCase() === reference.toLowerCase()) return agent.id;
  }
  throw new UsageError(`No agent named "${reference}": run \`mission agents ls\` to see the names.`, 3);
}

/** Resolves an assignee: an agent (id, name, `me` for an agent key), `user:<id>`, or `me` for a user. */
export async function resolvePrincipal(client: MissionControl, reference: string): Promise<PrincipalReference> {
  if (reference.startsWith('user:')) return { kind: 'user', id: reference.slice(5) };
  if (reference === 'me') {
    const me = await client.auth.me();
    return me.kind === 'agent' ? { kind: 'agent', id: me.agent.id } : { kind: 'user', id: me.user.id };
  }
  return { kind: 'agent', id: await resolveAgentId(client, reference) };
}

/** Splits "a,b c" into ["a", "b", "c"]. */
export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(/[,\s]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Parses a positive integer option or fails with a usage error naming it. */
export function parseInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new UsageError(`${name} must be a whole number, got "${value}".`);
  return number;
}

/** Checks a value against a fixed list, or fails naming the allowed values. */
export function choice<Value extends string>(name: string, value: string, allowed: readonly Value[]): Value {
  const found = allowed.find((candidate) => candidate === value);
  if (!found) throw new UsageError(`${name} must be one of ${allowed.join(', ')}; got "${value}".`);
  return found;
}

/** Like choice, for an option that may be left out. */
export function oneOf<Value extends string>(name: string, value: string | undefined, allowed: readonly Value[]): Value | undefined {
  return value === undefined ? undefined : choice(name, value, allowed);
}
