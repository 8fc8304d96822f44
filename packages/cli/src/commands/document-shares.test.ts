import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

describe('mission documents share|shares|unshare against a real server', () => {
  const cli = useCliAgainstRealServer('document-shares');
  const { run } = cli;

  it('prints a link that opens without signing in, lists it with its views, and revokes it', async () => {
    const file = path.join(cli.configHome, 'runbook.md');
    fs.writeFileSync(file, '## Restart\n\n1. Drain the queue\n');
    const written = await run(['docs', 'write', '--title', 'Runbook', '--file', file, '--json']);
    expect(written.code).toBe(0);
    const document = JSON.parse(written.stdout) as { id: string };

    const shared = await run(['documents', 'share', document.id, '--expires-in', '7d']);
    expect(shared.stderr).toBe('');
    expect(shared.code).toBe(0);
    const [url, note] = shared.stdout.trim().split('\n');
    expect(url).toMatch(new RegExp(`^${cli.server.url}/share/[^/\\s]+$`));
    expect(note).toContain('is not shown again');
    const page = await fetch(url ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<li>Drain the queue</li>');

    const table = await run(['documents', 'shares', document.id]);
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['ID', 'TOKEN', 'CREATED', 'BY', 'EXPIRES', 'VIEWS', 'REVOKED']);
    expect(row).toMatch(/\s1\s+-$/);
    const listed = JSON.parse((await run(['documents', 'shares', document.id, '--json'])).stdout) as Array<{
      id: string;
      createdAt: string;
      expiresAt: string;
      viewCount: number;
      revokedAt: string | null;
    }>;
    expect(listed).toHaveLength(1);
    const [share] = listed;
    expect(share).toMatchObject({ viewCount: 1, revokedAt: null });
    expect(Date.parse(share?.expiresAt ?? '') - Date.parse(share?.createdAt ?? '')).toBe(7 * 86_400_000);
    expect(row?.startsWith(share?.id ?? '-')).toBe(true);

    const unshared = await run(['docs', 'unshare', document.id, share?.id ?? '']);
    expect(unshared.code).toBe(0);
    expect(unshared.stdout).toBe(`Revoked share ${share?.id}.\n`);
    expect((await fetch(url ?? '')).status).toBe(404);
    const after = JSON.parse((await run(['docs', 'shares', document.id, '--json'])).stdout) as Array<{ revokedAt: string | null }>;
    expect(after[0]?.revokedAt).not.toBeNull();
  });

  it('makes a link that never expires without --expires-in, and explains a bad duration and an unknown share', async () => {
    const file = path.join(cli.configHome, 'standup.md');
    fs.writeFileSync(file, 'Yesterday, today, blockers\n');
    const document = JSON.parse((await run(['docs', 'write', '--title', 'Standup', '--file', file, '--json'])).stdout) as { id: string };

    const forever = await run(['documents', 'share', document.id, '--json']);
    expect(forever.code).toBe(0);
    const created = JSON.parse(forever.stdout) as { id: string; url: string; token: string; share: { expiresAt: string | null } };
    expect(created.share.expiresAt).toBeNull();
    expect(created.url).toBe(`${cli.server.url}/share/${created.token}`);

    const bad = await run(['documents', 'share', document.id, '--expires-in', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--expires-in must be a number of days or weeks such as 7d or 2w');
    const tooLong = await run(['documents', 'share', document.id, '--expires-in', '53w']);
    expect(tooLong.code).toBe(2);
    expect(JSON.parse((await run(['docs', 'shares', document.id, '--json'])).stdout)).toHaveLength(1);

    const unknown = await run(['documents', 'unshare', document.id, '01900000-0000-7000-8000-000000000000']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('DOCUMENT_SHARE_NOT_FOUND');
  });
});
