import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

describe('mission skills against a real server', () => {
  const cli = useCliAgainstRealServer('skills');
  const { run } = cli;

  it('creates a skill from a file, finds it by a word and shows its procedure', async () => {
    const file = path.join(cli.configHome, 'rotate.md');
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
