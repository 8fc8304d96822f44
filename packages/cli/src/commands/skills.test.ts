import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, type RealServer, startRealServer } from '../../../sdk/src/test/real-server.js';

const binary = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

describe('mission skills against a real server', () => {
  let server: RealServer;
  let configHome: string;
  let ownerKey: string;

  const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [binary, ...args],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: configHome,
            XDG_CONFIG_HOME: configHome,
            MISSION_URL: server.url,
            MISSION_API_KEY: ownerKey,
          },
          timeout: 20_000,
        },
        (error, stdout, stderr) => resolve({ code: error && typeof error.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    await buildCommandLine();
    server = await startRealServer('sqlite');
    configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-cli-skills-'));
    ownerKey = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'cli test' } })).json().secret;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(configHome, { recursive: true, force: true });
  });

  it('creates a skill from a file, finds it by a word and shows its procedure', async () => {
    const file = path.join(configHome, 'rotate.md');
    fs.writeFileSync(file, '1. Open the vault\n2. Run rotate-credentials\n');
    const created = await run(['skills', 'create', 'Rotate credentials', '--file', file, '--capabilities', 'ops,sql', '--json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const skill = JSON.parse(created.stdout) as { id: string; capabilities: string[]; version: number };
    expect(skill).toMatchObject({ capabilities: ['ops', 'sql'], version: 1 });

    const listed = await run(['skills', 'list', '--query', 'vault']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(skill.id);
    expect(listed.stdout).toContain('Rotate credentials');

    const shown = await run(['skills', 'show', skill.id]);
    expect(shown.stdout).toContain('# Rotate credentials (version 1)');
    expect(shown.stdout).toContain('2. Run rotate-credentials');

    const nameless = await run(['skills', 'create', '--file', file]);
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toContain('Give the skill a name');
  });
});
