#!/usr/bin/env node
// npm links a bin only if its file exists when it installs, and dist/ appears only after
// `npm run build`: this committed launcher always exists, so a fresh clone gets `mission` linked.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('mission: the CLI is not built yet. Run `npm run build` at the repository root, then try again.\n');
  process.exit(2);
}
await import(entry.href);
