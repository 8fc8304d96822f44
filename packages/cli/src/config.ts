// The one place the CLI reads the environment and the stored login. Precedence for every
// setting: command-line flag, then environment (MISSION_URL, MISSION_API_KEY), then the login
// stored by `mission login` in $XDG_CONFIG_HOME/mission/config.json (~/.config/mission/config.json).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { UsageError } from './exit-codes.js';

/** Where the CLI looks when nothing says otherwise: `npm start`'s address. */
export const defaultUrl = 'http://127.0.0.1:4000';

/** The flags every command accepts. */
export interface ConnectionFlags {
  url?: string;
  apiKey?: string;
}

const storedLoginSchema = z.object({
  url: z.string(),
  apiKey: z.string().optional(),
  accessToken: z.string().optional(),
  accessTokenExpiresAt: z.string().optional(),
  refreshToken: z.string().optional(),
  refreshTokenExpiresAt: z.string().optional(),
  identity: z.string().optional(),
});
/** What `mission login` stores. */
export type StoredLogin = z.infer<typeof storedLoginSchema>;

const configFileSchema = z.object({ login: storedLoginSchema.optional() });

const leaseSchema = z.object({ taskId: z.string(), key: z.string(), token: z.string(), expiresAt: z.string() });
/** A claim's lease as the CLI remembers it. */
export type StoredLease = z.infer<typeof leaseSchema>;
const leaseFileSchema = z.record(z.string(), z.record(z.string(), leaseSchema));

/** The environment variables the CLI reads, read once. */
export const environment = {
  url: process.env.MISSION_URL || undefined,
  apiKey: process.env.MISSION_API_KEY || undefined,
  editor: process.env.VISUAL || process.env.EDITOR || undefined,
  configDirectory: process.env.XDG_CONFIG_HOME
    ? path.join(process.env.XDG_CONFIG_HOME, 'mission')
    : path.join(os.homedir(), '.config', 'mission'),
  /** Everything, for commands that start a server of their own (`demo`): the server parses it. */
  variables: process.env as Record<string, string | undefined>,
};

/** Where `mission login` keeps its file. */
export function configFilePath(): string {
  return path.join(environment.configDirectory, 'config.json');
}

function leaseFilePath(): string {
  return path.join(environment.configDirectory, 'leases.json');
}

function readJsonFile<Schema extends z.ZodType>(file: string, schema: Schema, fallback: z.output<Schema>): z.output<Schema> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the message below
  }
  throw new UsageError(`${file} is not a valid Mission Control file: fix it or delete it and run \`mission login\` again.`);
}

/** Writes a file only its owner can read (it holds secrets). */
function writePrivateFile(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of an existing file; make sure it is private either way.
  fs.chmodSync(file, 0o600);
}

/** The login stored by `mission login`, if any. */
export function readStoredLogin(): StoredLogin | undefined {
  return readJsonFile(configFilePath(), configFileSchema, {}).login;
}

/** Stores a login (mode 0600). */
export function saveStoredLogin(login: StoredLogin): void {
  writePrivateFile(configFilePath(), { login });
}

/** Forgets the stored login; answers whether there was one. */
export function deleteStoredLogin(): boolean {
  const existed = readStoredLogin() !== undefined;
  if (existed) writePrivateFile(configFilePath(), {});
  return existed;
}

/** Where the connection settings came from, for `mission whoami` and error messages. */
export interface ResolvedConnection {
  url: string;
  credential: string | undefined;
  credentialSource: 'flag' | 'environment' | 'login' | 'none';
  stored: StoredLogin | undefined;
}

/** Applies the precedence flag → environment → stored login → default. */
export function resolveConnection(flags: ConnectionFlags): ResolvedConnection {
  const stored = readStoredLogin();
  const url = (flags.url ?? environment.url ?? stored?.url ?? defaultUrl).replace(/\/+$/, '');
  if (flags.apiKey) return { url, credential: flags.apiKey, credentialSource: 'flag', stored };
  if (environment.apiKey) return { url, credential: environment.apiKey, credentialSource: 'environment', stored };
  // A stored credential belongs to the server it was made for.
  if (stored && stored.url.replace(/\/+$/, '') === url) {
    const credential = stored.apiKey ?? stored.accessToken;
    if (credential) return { url, credential, credentialSource: 'login', stored };
  }
  return { url, credential: undefined, credentialSource: 'none', stored };
}

/** A client for the resolved connection; refreshes a stored session that is about to expire. */
export async function createClient(flags: ConnectionFlags, options: { requireCredential?: boolean } = {}): Promise<MissionControl> {
  const connection = resolveConnection(flags);
  if (!connection.credential && options.requireCredential !== false) {
    throw new UsageError(
      `No credential for ${connection.url}: pass --api-key mc_…, export MISSION_API_KEY=mc_…, or run \`mission login --url ${connection.url}\`.`,
      4,
    );
  }
  const client = new MissionControl({ baseUrl: connection.url, ...(connection.credential ? { apiKey: connection.credential } : {}) });
  const stored = connection.stored;
  if (connection.credentialSource === 'login' && stored?.accessToken && stored.refreshToken && stored.accessTokenExpiresAt) {
    const expiresSoon = Date.parse(stored.accessTokenExpiresAt) - Date.now() < 60_000;
    if (expiresSoon) {
      const session = await client.auth.refresh(stored.refreshToken);
      saveStoredLogin({
        ...stored,
        accessToken: session.accessToken,
        accessTokenExpiresAt: session.accessTokenExpiresAt,
        refreshToken: session.refreshToken,
        refreshTokenExpiresAt: session.refreshTokenExpiresAt,
      });
    }
  }
  return client;
}

/** Remembers the lease of a claim made from this machine, so `tasks status` can present its token. */
export function rememberLease(url: string, lease: StoredLease): void {
  const leases = readJsonFile(leaseFilePath(), leaseFileSchema, {});
  const forServer = leases[url] ?? {};
  forServer[lease.taskId] = lease;
  leases[url] = forServer;
  writePrivateFile(leaseFilePath(), leases);
}

/** The remembered lease of a task, by id or key. */
export function findLease(url: string, taskReference: string): StoredLease | undefined {
  const leases = readJsonFile(leaseFilePath(), leaseFileSchema, {})[url] ?? {};
  const wanted = taskReference.toUpperCase();
  return Object.values(leases).find((lease) => lease.taskId === taskReference || lease.key.toUpperCase() === wanted);
}

/** Forgets the lease of a task once it is released or finished. */
export function forgetLease(url: string, taskId: string): void {
  const leases = readJsonFile(leaseFilePath(), leaseFileSchema, {});
  if (!leases[url]?.[taskId]) return;
  delete leases[url][taskId];
  writePrivateFile(leaseFilePath(), leases);
}
