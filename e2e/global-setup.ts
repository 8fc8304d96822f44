import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dashboard = path.join(root, 'apps/dashboard');
export const chromiumPath = '/usr/bin/chromium';

/** The newest modification time under a folder (source files only). */
function newestChange(directory: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the dashboard when its dist folder is missing or older than its sources, so the browser
 * tests never run against a stale bundle; and says plainly when the browser is not installed.
 */
export default async function setup(): Promise<void> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium). The tests never download a browser.`,
    );
  }
  const index = path.join(dashboard, 'dist', 'index.html');
  const stale =
    !fs.existsSync(index) ||
    fs.statSync(index).mtimeMs <
      Math.max(newestChange(path.join(dashboard, 'src')), fs.statSync(path.join(dashboard, 'index.html')).mtimeMs);
  if (!stale) return;
  process.stdout.write('[e2e] building the dashboard (apps/dashboard/dist is missing or stale)\n');
  const { build } = await import('vite');
  // vitest sets NODE_ENV=test, which Vite would keep, giving React's development build; the browser tests use what ships.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: dashboard, configFile: path.join(dashboard, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = previous;
  }
}
