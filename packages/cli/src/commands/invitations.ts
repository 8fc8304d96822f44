import { invitationRoleSchema, invitationStatusSchema } from '@mission-control/contracts';
import { MissionControl } from '@mission-control/sdk';
import type { Command } from 'commander';
import { configFilePath, resolveConnection, saveStoredLogin } from '../config.js';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable, readStdin } from '../output.js';
import { choice, clientFor, globalOptions, oneOf } from './shared.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const tokenPattern = /^[A-Za-z0-9_-]+$/;

/** What `accept` was given: an invitation id (answered signed in), or a link or its token (answered with a password). */
type AcceptTarget = { kind: 'id'; id: string } | { kind: 'link'; token: string; origin: string | undefined };

function parseAcceptTarget(reference: string): AcceptTarget {
  if (uuidPattern.test(reference)) return { kind: 'id', id: reference };
  const match = /\/invite\/([^/?#]+)/.exec(reference);
  const token = match?.[1] ? decodeURIComponent(match[1]) : reference;
  if (!tokenPattern.test(token)) {
    throw new UsageError(`"${reference}" is neither an invitation id, an invitation link (…/invite/<token>) nor a token.`);
  }
  let origin: string | undefined;
  try {
    origin = new URL(reference).origin;
  } catch {
    origin = undefined;
  }
  return { kind: 'link', token, origin };
}

/** Registers `mission invitations ls|create|revoke|accept|decline`. */
export function registerInvitationCommands(program: Command): void {
  const invitations = program
    .command('invitations')
    .description('Invite people to the workspace (owners and admins), and answer your own invitations');

  invitations
    .command('ls')
    .description("List the workspace's invitations (owners and admins), or with --mine your own pending ones")
    .option('--status <status>', `only this status (${invitationStatusSchema.options.join(', ')})`)
    .option('--mine', 'the invitations addressed to you, from every workspace')
    .action(async (options: { status?: string; mine?: boolean }, command: Command) => {
      const client = await clientFor(command);
      const json = globalOptions(command).json;
      if (options.mine) {
        const mine = await client.invitations.mine();
        if (json) {
          printJson(mine);
          return;
        }
        printTable(mine, [
          ['id', (invitation) => invitation.id],
          ['workspace', (invitation) => invitation.workspace.name],
          ['role', (invitation) => invitation.role],
          ['invited by', (invitation) => invitation.invitedBy.name],
          ['expires', (invitation) => formatTime(invitation.expiresAt)],
        ]);
        return;
      }
      const status = oneOf('--status', options.status, invitationStatusSchema.options);
      const list = await client.invitations.list({ ...(status ? { status } : {}), limit: 200 }).toArray();
      if (json) {
        printJson(list);
        return;
      }
      printTable(list, [
        ['id', (invitation) => invitation.id],
        ['email', (invitation) => invitation.email],
        ['role', (invitation) => invitation.role],
        ['status', (invitation) => invitation.status],
        ['expires', (invitation) => formatTime(invitation.expiresAt)],
      ]);
    });

  invitations
    .command('create <email>')
    .description('Invite an email; prints the link to hand to the person (shown once)')
    .option('--role <role>', `${invitationRoleSchema.options.join(', ')}`, 'member')
    .addHelpText(
      'after',
      `
Examples:
  mission invitations create ada@example.com --role admin
  mission invitations create ada@example.com --json | jq -r .acceptUrl`,
    )
    .action(async (email: string, options: { role: string }, command: Command) => {
      const client = await clientFor(command);
      const created = await client.invitations.create({ email, role: choice('--role', options.role, invitationRoleSchema.options) });
      const link = created.acceptUrl.startsWith('/') ? `${client.baseUrl}${created.acceptUrl}` : created.acceptUrl;
      if (globalOptions(command).json) {
        printJson({ ...created, acceptUrl: link });
        return;
      }
      printLines(
        `Invited ${created.invitation.email} as ${created.invitation.role} (${created.invitation.id}); it expires ${formatTime(created.invitation.expiresAt)}.`,
        `Link (shown once, hand it to them now): ${link}`,
      );
    });

  invitations
    .command('revoke <id>')
    .description('Revoke an invitation that was not answered yet; its link stops working')
    .action(async (id: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const revoked = await client.invitations.revoke(id);
      if (globalOptions(command).json) printJson(revoked);
      else printLines(`Revoked the invitation of ${revoked.email} (${revoked.id}).`);
    });

  invitations
    .command('accept <invitation>')
    .description('Accept an invitation: its id (signed in), or its link or token (the password is read from stdin)')
    .option('--name <name>', 'your name, when the link creates your account (default: the email before @)')
    .addHelpText(
      'after',
      `
With an id, you join as the signed-in person. With a link, the password comes from stdin: a new one
creates your account (give --name), or the password of the account that already has the invited
email; you are then signed in to the new workspace and the login is stored like \`mission login\`.

Examples:
  mission invitations ls --mine
  mission invitations accept 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b
  echo "$PASSWORD" | mission invitations accept https://mission.example.com/invite/mc_inv_… --name "Ada Lovelace"`,
    )
    .action(async (reference: string, options: { name?: string }, command: Command) => {
      const flags = globalOptions(command);
      const target = parseAcceptTarget(reference);
      if (target.kind === 'id') {
        const client = await clientFor(command);
        const accepted = await client.invitations.accept(target.id);
        if (flags.json) printJson(accepted);
        else
          printLines(
            `You joined ${accepted.workspace.name} (${accepted.workspace.id}) as ${accepted.role}.`,
            'Credentials stay in the workspace they were made for: sign in with this workspaceId to work in it.',
          );
        return;
      }
      const password = (await readStdin()).replace(/\r?\n$/, '');
      if (!password)
        throw new UsageError('Pipe the password on stdin: echo "$PASSWORD" | mission invitations accept <link> --name "Your Name"');
      const url = flags.url ? resolveConnection({ url: flags.url }).url : (target.origin ?? resolveConnection({}).url);
      const client = new MissionControl({ baseUrl: url });
      const invitation = await client.invitations.getByToken(target.token);
      const name = options.name ?? invitation.email.split('@')[0] ?? invitation.email;
      const session = await client.invitations.acceptWithToken(target.token, { name, password });
      saveStoredLogin({
        url,
        accessToken: session.accessToken,
        accessTokenExpiresAt: session.accessTokenExpiresAt,
        refreshToken: session.refreshToken,
        refreshTokenExpiresAt: session.refreshTokenExpiresAt,
        identity: `user ${session.user.email} in ${session.workspace.name}`,
      });
      if (flags.json) printJson({ url, kind: 'user', email: session.user.email, workspace: session.workspace, role: session.role });
      else
        printLines(
          `You joined ${session.workspace.name} as ${session.role}, signed in as ${session.user.email}. Saved to ${configFilePath()}.`,
        );
    });

  invitations
    .command('decline <id>')
    .description('Decline an invitation addressed to you')
    .action(async (id: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const declined = await client.invitations.decline(id);
      if (globalOptions(command).json) printJson(declined);
      else printLines(`Declined the invitation to ${declined.workspace.name}.`);
    });
}
