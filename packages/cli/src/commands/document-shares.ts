import { maxShareDays } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable } from '../output.js';
import { clientFor, globalOptions } from './shared.js';

/** `7d`, `2w` or a plain number of days, as the API's expiresInDays. */
export function parseExpiresIn(text: string): number {
  const match = /^(\d+)\s*(d|w)?$/i.exec(text.trim());
  const days = match ? Number(match[1]) * (match[2]?.toLowerCase() === 'w' ? 7 : 1) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > maxShareDays)
    throw new UsageError(`--expires-in must be a number of days or weeks such as 7d or 2w, at most ${maxShareDays} days; got "${text}".`);
  return days;
}

/** The server answers the link relative to its root when MISSION_PUBLIC_URL is not set. */
function absoluteUrl(client: MissionControl, url: string): string {
  return new URL(url, `${client.baseUrl}/`).href;
}

/** Registers `mission docs share|shares|unshare` under the documents command. */
export function registerDocumentShareCommands(docs: Command): void {
  docs
    .command('share <document>')
    .description('Make a read-only link to a document that works without signing in; prints the URL (shown only this once)')
    .option('--expires-in <days>', `how long the link works: 7d, 2w or a number of days (at most ${maxShareDays})`)
    .addHelpText('after', '\nExample:\n  mission documents share 0190… --expires-in 7d')
    .action(async (documentId: string, options: { expiresIn?: string }, command: Command) => {
      const expiresInDays = options.expiresIn === undefined ? undefined : parseExpiresIn(options.expiresIn);
      const client = await clientFor(command);
      const created = await client.documents.share(documentId, expiresInDays === undefined ? {} : { expiresInDays });
      const url = absoluteUrl(client, created.url);
      if (globalOptions(command).json) {
        printJson({ ...created, url });
        return;
      }
      printLines(
        url,
        `Share ${created.id}, ${created.share.expiresAt ? `expires ${formatTime(created.share.expiresAt)}` : 'never expires'}. ` +
          'The URL is not shown again: revoke it with `mission documents unshare` if it leaks.',
      );
    });

  docs
    .command('shares <document>')
    .description('List the share links of a document, revoked and expired ones included')
    .action(async (documentId: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const shares = await client.documents.listShares(documentId);
      if (globalOptions(command).json) {
        printJson(shares);
        return;
      }
      printTable(shares, [
        ['id', (share) => share.id],
        ['token', (share) => `${share.tokenPrefix}…`],
        ['created', (share) => formatTime(share.createdAt)],
        ['by', (share) => share.createdByName],
        ['expires', (share) => (share.expiresAt ? formatTime(share.expiresAt) : 'never')],
        ['views', (share) => share.viewCount],
        ['revoked', (share) => (share.revokedAt ? formatTime(share.revokedAt) : '-')],
      ]);
    });

  docs
    .command('unshare <document> <share>')
    .description('Revoke a share link: it answers 404 from now on')
    .action(async (documentId: string, shareId: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      await client.documents.revokeShare(documentId, shareId);
      if (globalOptions(command).json) {
        printJson({ id: shareId, revoked: true });
        return;
      }
      printLines(`Revoked share ${shareId}.`);
    });
}
