#!/usr/bin/env node
// Keeps the module boundaries of docs/decisions and the shared brief true, as part of `npm run lint`:
//   1. a server module calls another module's service, never its repository;
//   2. a service keeps its queries in its repository (no query builder calls inline);
//   3. nothing outside apps/server reaches into the server: only the package entry, @mission-control/server.
// Usage: node scripts/check-boundaries.mjs [root]  (the repository root by default). Exit 1 on any violation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const skippedDirectories = new Set(['node_modules', 'dist', '.git', 'data', 'test-output', 'coverage']);
const sourceExtensions = /\.(?:[cm]?[jt]s|tsx)$/;
const serverPackage = '@mission-control/server';

/**
 * Files outside apps/server that may import server internals, each with the reason. Keep this
 * list short: every entry is a boundary the project knows it still crosses.
 */
const allowedServerImports = new Map([
  [
    'packages/sdk/src/test/real-server.ts',
    'the sdk, cli and mcp tests start a whole test server from apps/server/src/test; it belongs with a server test entry',
  ],
]);

/** Query builder calls (Kysely) and raw SQL: what a service leaves to its repository. */
const inlineQueryPattern = /\.(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(?:\.raw)?\s*[`(]/;

function listSourceFiles(root) {
  const files = [];
  const walk = (directory) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!skippedDirectories.has(entry.name)) walk(path.join(directory, entry.name));
      } else if (sourceExtensions.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push(path.join(directory, entry.name));
      }
    }
  };
  walk(root);
  return files.sort();
}

/** Every module specifier a file imports or re-exports, with its line. */
function listImports(text) {
  const imports = [];
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const line = text.slice(0, match.index).split('\n').length;
      imports.push({ specifier: match[1], line });
    }
  }
  return imports.sort((left, right) => left.line - right.line);
}

/** The module folder a path under apps/server/src/modules belongs to, or null. */
function moduleOf(relativePath) {
  const match = /^apps\/server\/src\/modules\/([^/]+)\//.exec(relativePath);
  return match ? match[1] : null;
}

/** The module whose repository a path names (apps/server/src/modules/<module>/<name>.repository[.js|.ts]), or null. */
function repositoryModuleOf(relativePath) {
  const match = /^apps\/server\/src\/modules\/([^/]+)\/(?:.*\/)?[^/]+\.repository(?:\.[cm]?[jt]s)?$/.exec(relativePath);
  return match ? match[1] : null;
}

function toPosix(file) {
  return file.split(path.sep).join('/');
}

/** Checks the tree under root; answers the violations as printable lines. */
export function checkBoundaries(root) {
  const violations = [];
  for (const file of listSourceFiles(root)) {
    const relative = toPosix(path.relative(root, file));
    const text = fs.readFileSync(file, 'utf8');
    const insideServer = relative.startsWith('apps/server/');
    const ownModule = moduleOf(relative);

    for (const { specifier, line } of listImports(text)) {
      const where = `${relative}:${line}`;
      const target = specifier.startsWith('.') ? toPosix(path.relative(root, path.resolve(path.dirname(file), specifier))) : null;

      if (insideServer && target) {
        const repositoryModule = repositoryModuleOf(target);
        if (repositoryModule && repositoryModule !== ownModule) {
          violations.push(`${where}: imports ${specifier} — call ${repositoryModule}'s service instead`);
        }
        continue;
      }
      if (insideServer) continue;

      const reachesIntoServer =
        (target !== null && (target === 'apps/server' || target.startsWith('apps/server/'))) || specifier.startsWith(`${serverPackage}/`);
      if (reachesIntoServer && !allowedServerImports.has(relative)) {
        violations.push(`${where}: imports ${specifier} — import ${serverPackage} (the package entry) instead`);
      }
    }

    if (insideServer && relative.endsWith('.service.ts')) {
      const lines = text.split('\n');
      for (const [index, content] of lines.entries()) {
        if (inlineQueryPattern.test(content)) {
          const repository = ownModule ? `the ${ownModule} module's repository` : 'a repository';
          violations.push(`${relative}:${index + 1}: runs a query inline — move it into ${repository}`);
        }
      }
    }
  }
  return violations;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkBoundaries(root);
  for (const violation of violations) process.stderr.write(`${violation}\n`);
  if (violations.length > 0) {
    process.stderr.write(
      `\ncheck-boundaries: ${violations.length} violation${violations.length === 1 ? '' : 's'} of the module boundaries.\n`,
    );
    process.exit(1);
  }
  process.stdout.write('check-boundaries: module boundaries hold.\n');
}
