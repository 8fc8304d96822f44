// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is CEL interpolation in workflow strings
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine } from '../../../sdk/src/test/real-server.js';

const binary = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [binary, ...args], { env: { PATH: process.env.PATH ?? '' } }, (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
    });
  });
}

describe('mission workflow validate', () => {
  let directory: string;
  beforeAll(async () => {
    await buildCommandLine();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-workflow-cli-'));
  }, 120_000);

  it('exits 0 for a valid YAML definition, and 2 with every error for a bad one', async () => {
    const good = path.join(directory, 'good.yaml');
    fs.writeFileSync(
      good,
      'name: good\ninputs:\n  topic: { type: string }\nsteps:\n  - id: a\n    kind: task\n    task: { title: "About ${inputs.topic}" }\n',
    );
    const bad = path.join(directory, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({
        name: 'bad',
        steps: [
          { id: 'a', kind: 'task', needs: ['zz'], task: { title: '${inputs.q}' } },
          { id: 'b', kind: 'condition', if: '1 +' },
        ],
      }),
    );
    const ok = await run(['workflow', 'validate', good]);
    expect(ok).toEqual({ code: 0, stdout: `${good}: valid (1 steps).\n` });
    const refused = await run(['workflow', 'validate', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('steps.0.needs.0: unknown step "zz" in needs');
    expect(refused.stdout).toContain('steps.0.task.title: unknown input "q"');
    expect(refused.stdout).toContain('steps.1.if: CEL does not parse');
  });
});
