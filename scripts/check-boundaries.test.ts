import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./check-boundaries.mjs', import.meta.url));
const roots: string[] = [];

/** A source line importing `names` from `specifier`, spelled out so this file holds no import of its own to check. */
function importLine(names: string, specifier: string): string {
  return ['import', names, 'from', JSON.stringify(specifier)].join(' ');
}

/** Writes a repository tree (path → content) to a temporary folder and answers its root. */
function writeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'check-boundaries-'));
  roots.push(root);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), `${content}\n`);
  }
  return root;
}

function runCheck(root: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, root], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const cleanTree = {
  'apps/server/src/modules/tasks/task.repository.ts': "export function findTask() { return db.selectFrom('tasks'); }",
  'apps/server/src/modules/tasks/task.service.ts': importLine('{ findTask }', './task.repository.js'),
  'apps/server/src/modules/documents/document.service.ts': importLine('type { TaskService }', '../tasks/task.service.js'),
  'apps/server/src/services.ts': importLine('{ createTaskService }', './modules/tasks/task.service.js'),
  'e2e/harness.ts': importLine('{ startServer }', '@mission-control/server'),
  'packages/cli/src/serve.ts': `const server = await import(${JSON.stringify('@mission-control/server')});`,
};

afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

describe('check-boundaries', () => {
  it('passes a tree where modules call services and outsiders use the package entry', async () => {
    const result = await runCheck(writeTree(cleanTree));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('module boundaries hold');
  });

  it("fails on a module importing another module's repository, naming the file and the service to call", async () => {
    const root = writeTree({
      ...cleanTree,
      'apps/server/src/modules/documents/document.service.ts': [
        '// reads tasks',
        importLine('{ findTask }', '../tasks/task.repository.js'),
      ].join('\n'),
    });
    const result = await runCheck(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "apps/server/src/modules/documents/document.service.ts:2: imports ../tasks/task.repository.js — call tasks's service instead",
    );
    expect(result.stderr).toContain('1 violation of the module boundaries');
  });

  it('fails on server code outside the modules importing a module repository', async () => {
    const root = writeTree({
      ...cleanTree,
      'apps/server/src/scheduler/loop.ts': importLine('{ findTask }', '../modules/tasks/task.repository.js'),
    });
    const result = await runCheck(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "apps/server/src/scheduler/loop.ts:1: imports ../modules/tasks/task.repository.js — call tasks's service instead",
    );
  });

  it('fails on a service running a query inline', async () => {
    const root = writeTree({
      ...cleanTree,
      'apps/server/src/modules/tasks/task.service.ts': [
        importLine('{ findTask }', './task.repository.js'),
        "await db.updateTable('tasks');",
      ].join('\n'),
    });
    const result = await runCheck(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "apps/server/src/modules/tasks/task.service.ts:2: runs a query inline — move it into the tasks module's repository",
    );
  });

  it('fails on code outside the server reaching into its sources or past its package entry', async () => {
    const root = writeTree({
      ...cleanTree,
      'e2e/harness.ts': importLine('{ openDatabase }', '../apps/server/src/db/database.js'),
      'bench/run.ts': importLine('{ createServices }', '@mission-control/server/services'),
    });
    const result = await runCheck(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'e2e/harness.ts:1: imports ../apps/server/src/db/database.js — import @mission-control/server (the package entry) instead',
    );
    expect(result.stderr).toContain(
      'bench/run.ts:1: imports @mission-control/server/services — import @mission-control/server (the package entry) instead',
    );
    expect(result.stderr).toContain('2 violations');
  });

  it('holds for this repository', async () => {
    const result = await runCheck(fileURLToPath(new URL('..', import.meta.url)));
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});
