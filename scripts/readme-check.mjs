#!/usr/bin/env node
// The README is a test: in a fresh clone of the committed HEAD, run what the README tells a newcomer
// to run, in its order, and fail when one of them fails. Every command-looking piece of the README
// must be known here (run, or skipped with a printed reason), so a new command cannot slip in unchecked.
//
//   node scripts/readme-check.mjs [repository]     (default: the repository this script is in)
//
// Servers run on free ports instead of 4000 and 5173 (the README's 127.0.0.1:4000 is rewritten to
// match), so the check runs beside anything else on the machine. Every process it starts and its
// temporary directory are removed at the end, also when a step fails or the check is interrupted.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { answers, CheckFailure, createSandbox, fail, freePort, heading, print, seconds } from './readme-check.sandbox.mjs';

const source = path.resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const requirePostgres = process.env.MISSION_REQUIRE_POSTGRES === '1';
// npm install on a cold cache is the slow part of the Quick start; everything else takes seconds.
const quickStartTimeoutMs = 10 * 60_000;
const stepTimeoutMs = 3 * 60_000;

const sandbox = createSandbox({ stepTimeoutMs });
const { clone, runNow, startInBackground, logOf, stop, waitFor } = sandbox;
const startedAt = Date.now();
let sqliteOwnerPassword;

// ---- Reading the README -------------------------------------------------------------------------

function readSections(markdown) {
  const sections = [];
  for (const part of markdown.split(/^## /m).slice(1)) {
    const title = part.slice(0, part.indexOf('\n')).trim();
    const blocks = [...part.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```/gm)].map((match) => match[1].trim());
    const prose = part.replace(/^```[\s\S]*?^```/gm, '');
    const spans = [...prose.matchAll(/`([^`]+)`/g)].map((match) => match[1].replace(/\s+/g, ' ').trim());
    sections.push({ title, blocks, commands: spans.filter(looksLikeCommand) });
  }
  return sections;
}

function looksLikeCommand(text) {
  return /^([A-Z_]+=\S+ )*(npm|npx|node|curl|createdb|websocat) /.test(`${text} `);
}

function linesOf(block) {
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));
}

const onPort = (text, port) => text.replaceAll('127.0.0.1:4000', `127.0.0.1:${port}`);

// ---- The checks ---------------------------------------------------------------------------------

async function checkQuickStartAndFirstSteps(quickStart, firstSteps, apiLinks) {
  const [startBlock, testBlock, ...others] = quickStart.blocks;
  if (!startBlock?.includes('npm start') || testBlock !== 'npm test' || others.length > 0) {
    fail('Quick start no longer has the two blocks `npm install && npm start` and `npm test`: teach scripts/readme-check.mjs the new ones');
  }
  const port = await freePort();
  heading(`Quick start: ${startBlock} (PORT=${port} instead of 4000)`);
  const since = Date.now();
  const server = startInBackground('quick-start', startBlock, { PORT: String(port) });
  await waitFor('200 from GET /api/health', server, quickStartTimeoutMs, () => answers(`http://127.0.0.1:${port}/api/health`));
  print(`the server answers /api/health after ${seconds(since)}`);
  // Kept now: a later first start on PostgreSQL writes its own owner's password to the same file.
  sqliteOwnerPassword = fs.readFileSync(path.join(clone, 'data/initial-admin-password.txt'), 'utf8').split('\n')[1];
  print(`skipped: ${testBlock} (the whole suite: CI runs it right after this check)`);

  heading(`First steps with curl (${firstSteps.blocks.length} block(s) in one bash with set -euo pipefail, on port ${port})`);
  runNow(onPort(firstSteps.blocks.join('\n\n'), port), { label: 'a First steps command (see the line named above)' });
  print('');

  heading('API reference: the README links answer 200');
  for (const link of apiLinks) {
    if (!(await answers(onPort(link, port)))) fail(`GET ${link} did not answer 200`);
    print(`200 ${onPort(link, port)}`);
  }
  const exit = await stop(server);
  print(`the Quick start server stopped on SIGTERM (${exit})`);
}

async function checkHelp(command) {
  const output = runNow(command, { quiet: true });
  if (!output.includes('Usage: mission')) fail(`\`${command}\` did not print the CLI's usage`);
  print(`printed the usage of the project's CLI (${output.split('\n').length} lines)`);
}

async function checkDemo(command) {
  const port = await freePort();
  const demo = startInBackground('demo', `${command} --port ${port}`);
  const goalDone = /Goal \S+ is done\. Model calls: (\d+)/;
  await waitFor('"Goal … is done" from the demo', demo, stepTimeoutMs, async () => goalDone.test(logOf(demo)));
  if (logOf(demo).match(goalDone)?.[1] !== '0') fail('the demo without a model should make no model calls');
  // The squad keeps working until Ctrl-C: SIGINT must stop it (and its server) cleanly.
  print(`the scripted squad finished the goal with no model calls and kept working; Ctrl-C (SIGINT): ${await stop(demo, 'SIGINT')}`);
}

async function checkPostgres(block) {
  if (spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432']).status !== 0) {
    if (requirePostgres) fail('PostgreSQL is not running on 127.0.0.1:5432 and MISSION_REQUIRE_POSTGRES=1');
    print('SKIPPED LOUDLY: no PostgreSQL on 127.0.0.1:5432 (CI sets MISSION_REQUIRE_POSTGRES=1 to make this a failure)');
    return;
  }
  const [create, start] = linesOf(block);
  const database = `mission_readme_check_${process.pid}`;
  sandbox.onCleanUp(() => spawnSync('dropdb', ['--if-exists', '-h', '127.0.0.1', '-U', 'postgres', database]));
  // The README's createdb uses the reader's default connection; here it is the one in the README's URL.
  runNow(create.replace(/ mission$/, ` ${database}`), { environment: { PGHOST: '127.0.0.1', PGUSER: 'postgres' } });
  const port = await freePort();
  const server = startInBackground('postgres', start.replace('/mission ', `/${database} `), { PORT: String(port) });
  await waitFor('200 from GET /api/health on PostgreSQL', server, stepTimeoutMs, async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(3000) });
    const body = await response.json();
    return response.status === 200 && body.database?.engine === 'postgres';
  });
  print(`the server runs on PostgreSQL (database ${database}); SIGTERM: ${await stop(server)}`);
}

async function checkDevLoop(command) {
  const serverPort = await freePort();
  const dashboardPort = await freePort();
  const since = Date.now();
  const dev = startInBackground('dev', command, { PORT: String(serverPort), MISSION_DEV_DASHBOARD_PORT: String(dashboardPort) });
  const dashboard = `http://127.0.0.1:${dashboardPort}`;
  await waitFor('/api/health through the dashboard dev server', dev, stepTimeoutMs, () => answers(`${dashboard}/api/health`));
  const page = await (await fetch(dashboard)).text();
  if (!page.includes('/@vite/client')) fail(`${dashboard} is not the Vite dev server (no /@vite/client in the page)`);
  print(`the dashboard dev server serves the app and proxies /api after ${seconds(since)}`);
  await checkWebSocketThroughProxy(dashboard);

  // An edit to a server source file must reach the running server without touching anything else.
  const edited = path.join(clone, 'apps/server/src/app.ts');
  const marker = `readme-check edit ${Date.now()}`;
  const editedAt = Date.now();
  fs.appendFileSync(edited, `\nconsole.log('${marker}');\n`);
  await waitFor('restart of the server after editing apps/server/src/app.ts', dev, stepTimeoutMs, async () => logOf(dev).includes(marker));
  await waitFor('/api/health after the restart', dev, stepTimeoutMs, () => answers(`${dashboard}/api/health`));
  print(`editing apps/server/src/app.ts rebuilt and restarted the server in ${seconds(editedAt)}`);
  print(`Ctrl-C (SIGINT): ${await stop(dev, 'SIGINT')}`);
  runNow('git checkout -- apps/server/src/app.ts', { quiet: true });
  for (const port of [serverPort, dashboardPort]) {
    if (await answers(`http://127.0.0.1:${port}/`).catch(() => false))
      fail(`something still answers on port ${port} after npm run dev stopped`);
  }
  print('nothing is left listening on either port');
}

async function checkWebSocketThroughProxy(dashboard) {
  const login = await fetch(`${dashboard}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@mission.local', password: sqliteOwnerPassword }),
  });
  if (login.status !== 200) fail(`sign-in through the dashboard dev server answered ${login.status}`);
  const { accessToken } = await login.json();
  const socketUrl = `${dashboard.replace('http', 'ws')}/api/v1/ws/activities?token=${encodeURIComponent(accessToken)}`;
  const first = await new Promise((resolve, reject) => {
    const socket = new WebSocket(socketUrl);
    const timer = setTimeout(() => reject(new Error('no message within 10 s')), 10_000);
    socket.on('message', (data) => {
      clearTimeout(timer);
      socket.close();
      resolve(JSON.parse(String(data)));
    });
    socket.on('error', reject);
  }).catch((error) => fail(`the activity WebSocket through the dashboard dev server failed: ${error.message}`));
  if (first.type !== 'ready') fail(`the activity WebSocket's first message was ${JSON.stringify(first)}, expected type "ready"`);
  print('the activity WebSocket works through the dev server proxy');
}

const skipSuite = { skip: 'part of npm test, which CI runs right after this check' };
const skipBench = { skip: 'a benchmark: minutes of load, run by hand (docs/performance.md)' };

// Every command the README shows outside the Quick start and First steps, and what the check does with it.
const commands = new Map([
  ['npx --no-install mission …', { skip: 'the general form; the concrete commands below are checked' }],
  ['npm run build && npx --no-install mission demo', { run: checkDemo }],
  [
    'MISSION_LLM_BASE_URL=http://127.0.0.1:11434/v1 MISSION_LLM_MODEL=qwen3 npx --no-install mission demo',
    { skip: 'needs a model server; the same demo without one is checked' },
  ],
  ['MISSION_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test', skipSuite],
  ['npm test', skipSuite],
  ['npx vitest run --project dashboard', skipSuite],
  ['npx vitest run --project e2e', skipSuite],
  ['npm start', { skip: 'the Quick start runs it' }],
  ['npm install', { skip: 'the Quick start runs it' }],
  ['node --watch', { skip: 'a part of npm run dev, which is checked' }],
  [
    'websocat "ws://127.0.0.1:4000/api/v1/ws/activities?token=$TOKEN"',
    { skip: 'websocat is not part of the toolchain; the npm run dev check opens the same stream' },
  ],
  ['npx --no-install mission tail', { skip: 'needs a signed-in CLI and streams until Ctrl-C' }],
  ['npx --no-install mission agents create <name> --role <role> --key', { skip: 'has placeholders' }],
  [
    'MISSION_API_KEY=mc_… npx --no-install mission runner --agent jarvis --adapter claude-code --workdir ~/src/my-app --test "npm test"',
    { skip: "needs Claude Code and an agent's key; the runner's tests drive the same command with fake CLIs" },
  ],
  ['npx --no-install mission --help', { run: checkHelp }],
  ['npm run bench -- --only=scheduler-idle', skipBench],
  ['npm run bench', skipBench],
  ['createdb mission\nDATABASE_URL=postgres://postgres@127.0.0.1:5432/mission npm start', { run: checkPostgres }],
  ['npm run dev -w apps/dashboard', { skip: 'the npm run dev check starts the same Vite dev server and goes through its proxy' }],
  ['npm run dev', { run: checkDevLoop }],
  ['npm run lint', { run: (command) => runNow(command, { quiet: true }) }],
  ['npm run typecheck', { run: (command) => runNow(command, { quiet: true }) }],
  ['npm run check:readme', { skip: 'this check itself' }],
]);

function planTheRest(sections) {
  const plan = [];
  const unknown = [];
  const add = (command) => {
    if (plan.some((step) => step.command === command)) return;
    const known = commands.get(command);
    if (known) plan.push({ command, ...known });
    else unknown.push(command);
  };
  for (const section of sections) {
    if (section.title === 'Quick start' || section.title === 'First steps with curl') {
      for (const command of section.commands) add(command);
      continue;
    }
    for (const block of section.blocks) {
      if (commands.has(block)) add(block);
      else for (const line of linesOf(block)) add(line);
    }
    for (const command of section.commands) add(command);
  }
  if (unknown.length > 0) {
    fail(
      `the README shows commands this check does not know; add each to scripts/readme-check.mjs (run or skipped with a reason):\n  ${unknown.join('\n  ')}`,
    );
  }
  return plan;
}

for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
]) {
  process.on(signal, () => {
    print(`\n${signal}: stopping what the check started and removing ${sandbox.temporary}`);
    sandbox.cleanUp().finally(() => process.exit(128 + number));
  });
}

// ---- Main ---------------------------------------------------------------------------------------

async function main() {
  if (spawnSync('jq', ['--version']).status !== 0) fail("jq is not installed; the README's curl commands need it (apt-get install jq)");
  const head = spawnSync('git', ['-C', source, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['-C', source, 'status', '--porcelain'], { encoding: 'utf8' }).stdout.trim();
  heading(`Cloning ${source} at ${head} into ${clone}`);
  if (dirty) print('note: the checkout has uncommitted changes; the check runs the committed HEAD without them');
  if (spawnSync('git', ['clone', '--quiet', source, clone], { stdio: 'inherit' }).status !== 0) fail('git clone failed');

  const readme = fs.readFileSync(path.join(clone, 'README.md'), 'utf8');
  const sections = readSections(readme);
  const section = (title) => sections.find((candidate) => candidate.title === title) ?? fail(`the README has no "## ${title}" section`);
  const apiLinks = [...new Set([...readme.matchAll(/<(http:\/\/127\.0\.0\.1:4000[^>]*)>/g)].map((match) => match[1]))];
  const plan = planTheRest(sections);

  await checkQuickStartAndFirstSteps(section('Quick start'), section('First steps with curl'), apiLinks);
  for (const step of plan) {
    if (step.skip) {
      print(`\nskipped: ${step.command} (${step.skip})`);
      continue;
    }
    heading(step.command);
    const since = Date.now();
    await step.run(step.command);
    print(`ok in ${seconds(since)}`);
  }
}

try {
  await main();
  heading(`README check passed in ${seconds(startedAt)}`);
} catch (error) {
  print(`\nREADME check FAILED after ${seconds(startedAt)}: ${error instanceof CheckFailure ? error.message : (error?.stack ?? error)}`);
  process.exitCode = 1;
} finally {
  await sandbox.cleanUp();
}
