// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is CEL interpolation in workflow strings
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workflowTemplates } from '@mission-control/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine } from '../../../sdk/src/test/real-server.js';
import { runWorkflowDryRun } from './workflow-dry-run.js';

const binary = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

function runCommand(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [binary, ...args], { env: { PATH: process.env.PATH ?? '' } }, (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
    });
  });
}

const sampleInputs: Record<string, Record<string, unknown>> = {
  'fan-out-fan-in': { topic: 'tides', items: ['north', 'south', 'east', 'west', 'centre'] },
};

describe('mission workflow test', () => {
  it.each(workflowTemplates.map((template) => [template.name, template] as const))(
    'runs the built-in %s template to completion',
    async (name, template) => {
      const lines: string[] = [];
      const result = await runWorkflowDryRun(template.definition, {
        inputs: sampleInputs[name] ?? {},
        log: (line) => lines.push(line),
      });
      expect(result.run?.status, lines.join('\n')).toBe('completed');
      expect(result.exitCode).toBe(0);
      expect(lines).toContain('A scripted agent completes every task and every approval is approved automatically.');
      expect(lines.some((line) => /^\s+\+\d+\.\ds\s+run\s+\S+ v1 started$/.test(line))).toBe(true);
      expect(lines.at(-1)).toBe('The run completed.');
      // Every main step ended (done or skipped by a condition), none still open.
      expect(result.run?.steps.every((step) => ['done', 'skipped'].includes(step.status))).toBe(true);
    },
    60_000,
  );

  it('answers http steps from a local stand-in, so nothing leaves the machine, and the run uses its answer', async () => {
    const lines: string[] = [];
    const result = await runWorkflowDryRun(
      {
        name: 'notify-the-world',
        steps: [
          // A name that resolves nowhere: a dry run that really sent it would fail the step.
          { id: 'announce', kind: 'http', url: 'https://hooks.example.invalid/announce', body: { hello: 'world' } },
          // biome-ignore lint/suspicious/noThenProperty: `then` is the condition's branch in the contract
          { id: 'check', kind: 'condition', needs: ['announce'], if: 'steps.announce.output.statusCode == 200', then: ['done'] },
          { id: 'done', kind: 'notify', to: { roles: ['owner'] }, message: 'Announced' },
        ],
      },
      { log: (line) => lines.push(line) },
    );
    expect(result.run?.status, lines.join('\n')).toBe('completed');
    expect(result.exitCode).toBe(0);
    expect(lines).toContain('http steps are answered by a local stand-in (200, {"dryRun": true}): nothing is sent off this machine.');
    expect(result.run?.steps.find((step) => step.stepId === 'announce')?.output).toMatchObject({ statusCode: 200 });
    expect(result.run?.steps.find((step) => step.stepId === 'done')?.status).toBe('done');
  }, 60_000);

  describe('through the command line', () => {
    let directory: string;
    beforeAll(async () => {
      await buildCommandLine();
      directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-workflow-test-cli-'));
    }, 120_000);

    it('exits 0 with the timeline when the run completes, 1 when it fails and 2 for an invalid file', async () => {
      const good = path.join(directory, 'good.yaml');
      fs.writeFileSync(
        good,
        [
          'name: good',
          'inputs:',
          '  topic: { type: string, required: true }',
          'steps:',
          '  - { id: write, kind: task, task: { title: "Write about ${inputs.topic}", requiredCapabilities: [writing] } }',
          '  - { id: sign, kind: approval, needs: [write] }',
          '',
        ].join('\n'),
      );
      const failing = path.join(directory, 'failing.json');
      fs.writeFileSync(
        failing,
        JSON.stringify({ name: 'failing', steps: [{ id: 'say', kind: 'message', task: 'TASK-999', content: 'hello' }] }),
      );
      const invalid = path.join(directory, 'invalid.json');
      fs.writeFileSync(invalid, JSON.stringify({ name: 'invalid', steps: [{ id: 'a', kind: 'teleport' }] }));

      const completed = await runCommand(['workflow', 'test', good, '--inputs', '{"topic": "tides"}']);
      expect(completed.code, completed.stdout).toBe(0);
      expect(completed.stdout).toContain('every approval is approved automatically');
      expect(completed.stdout).toMatch(/\+\d+\.\ds\s+write\s+write \(task\) started/);
      expect(completed.stdout).toMatch(/\+\d+\.\ds\s+sign\s+sign done/);
      expect(completed.stdout).toContain('The run completed.');

      const failed = await runCommand(['workflow', 'test', failing]);
      expect(failed.code, failed.stdout).toBe(1);
      expect(failed.stdout).toContain('The run failed: step say failed');

      const refused = await runCommand(['workflow', 'test', invalid]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toContain('invalid: steps.0');
    }, 120_000);
  });
});
