#!/usr/bin/env node
// Counts type assertions (`x as T`, `<T>x`, but not `as const`) in the tracked TypeScript files
// outside tests, per top-level folder, so a cleanup can be measured before and after.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import ts from 'typescript';

const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => file && !/\.test\.tsx?$/.test(file) && !file.includes('/test/') && !file.startsWith('e2e/'));

const counts = new Map();
const verbose = process.argv.includes('--list');
for (const file of files) {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const visit = (node) => {
    const isAssertion = ts.isAsExpression(node) || ts.isTypeAssertionExpression(node);
    if (isAssertion && !(ts.isTypeReferenceNode(node.type) && node.type.getText(source) === 'const')) {
      const area = file.split('/').slice(0, 2).join('/');
      counts.set(area, (counts.get(area) ?? 0) + 1);
      if (verbose)
        console.log(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText(source).slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
for (const [area, count] of [...counts.entries()].sort()) console.log(`${String(count).padStart(4)}  ${area}`);
console.log(`${String(total).padStart(4)}  total`);
