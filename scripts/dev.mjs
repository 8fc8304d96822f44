#!/usr/bin/env node
// `npm run dev`: the TypeScript packages rebuilt on change, the server restarted when its built
// files change, and the dashboard's Vite dev server (hot reload) proxying /api to that server.
// Stops everything on Ctrl-C, and stops everything when one of them dies so nothing is left half-up.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const serverPort = process.env.PORT ?? '4000';
const dashboardPort = process.env.MISSION_DEV_DASHBOARD_PORT ?? '5173';
const colors = { tsc: 36, server: 32, dashboard: 35 };
// The children write into pipes, so they cannot see the terminal themselves.
const terminal = process.stdout.isTTY === true;

function prefixLines(name, stream, target) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    const label = terminal ? `\x1b[${colors[name]}m[${name}]\x1b[0m` : `[${name}]`;
    for (const line of lines) target.write(`${label} ${line}\n`);
  });
  stream.on('end', () => {
    if (rest) target.write(`[${name}] ${rest}\n`);
  });
}

// One build first, so the server starts from fresh output instead of whatever dist/ held.
console.log('[dev] building the TypeScript packages once (tsc -b)…');
if (spawnSync('npx', ['--no-install', 'tsc', '-b'], { cwd: root, stdio: 'inherit' }).status !== 0) {
  console.error('[dev] the build failed; fix the errors above and run npm run dev again.');
  process.exit(1);
}

const children = new Map();
let stopping = false;

function start(name, command, args, environment = {}) {
  // detached: each child leads its own process group, so stopping it also stops what it spawned (npm → sh → vite).
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...environment }, detached: true });
  prefixLines(name, child.stdout, process.stdout);
  prefixLines(name, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`[dev] ${name} exited (${signal ?? `code ${code}`}); stopping the others.`);
      stop(1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
  children.set(name, child);
}

function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  process.exitCode = exitCode;
  if (children.size === 0) process.exit(exitCode);
  for (const child of children.values()) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  // A child that ignores SIGTERM must not keep the terminal.
  setTimeout(() => {
    for (const child of children.values()) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    process.exit(exitCode);
  }, 5000).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

start('tsc', 'npx', ['--no-install', 'tsc', '-b', '--watch', '--preserveWatchOutput']);
// node --watch restarts the server when the entry or any module it loaded changes, and tsc rewrites those on every edit.
start('server', process.execPath, ['--watch', '--watch-preserve-output', 'packages/cli/dist/bin.js', 'serve'], {
  PORT: serverPort,
  MISSION_LOG_PRETTY: process.env.MISSION_LOG_PRETTY ?? (terminal ? 'true' : 'false'),
});
start('dashboard', 'npm', ['run', 'dev', '-w', 'apps/dashboard', '--', '--port', dashboardPort, '--strictPort'], {
  MISSION_DEV_SERVER_URL: `http://127.0.0.1:${serverPort}`,
});
console.log(
  `[dev] server on http://127.0.0.1:${serverPort}, dashboard with hot reload on http://127.0.0.1:${dashboardPort} (Ctrl-C stops all three)`,
);
