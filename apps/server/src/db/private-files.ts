import fs from 'node:fs';
import path from 'node:path';

/**
 * The data directory holds the signing key (in mission.db), the first owner's password and
 * backups: only the account running Mission Control may read them. Modes are set explicitly, so
 * neither the umask nor an older file's mode decides them.
 */
export const privateDirectoryMode = 0o700;
export const privateFileMode = 0o600;

/** Creates the directory (and missing parents) as 0700; one that already exists keeps the mode its owner chose. */
export function createPrivateDirectory(directory: string): void {
  const missing: string[] = [];
  for (let current = path.resolve(directory); !fs.existsSync(current); current = path.dirname(current)) missing.unshift(current);
  fs.mkdirSync(directory, { recursive: true, mode: privateDirectoryMode });
  for (const created of missing) fs.chmodSync(created, privateDirectoryMode);
}

/** Makes an existing file readable and writable by its owner only; a missing one is left alone. */
export function restrictToOwner(file: string): void {
  if (fs.existsSync(file)) fs.chmodSync(file, privateFileMode);
}

/** Creates the file empty as 0600 when it does not exist, and sets 0600 either way, before anything is written to it. */
export function preparePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', privateFileMode));
  fs.chmodSync(file, privateFileMode);
}

/** Writes a whole file that only its owner may read (0600 even when it existed before with another mode). */
export function writePrivateFile(file: string, content: string): void {
  preparePrivateFile(file);
  fs.writeFileSync(file, content, { mode: privateFileMode });
}
