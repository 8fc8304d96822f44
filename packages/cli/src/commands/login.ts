import { isMissionControlError, MissionControl } from '@mission-control/sdk';
import type { Command } from 'commander';
import { configFilePath, createClient, deleteStoredLogin, resolveConnection, saveStoredLogin } from '../config.js';
import { UsageError } from '../exit-codes.js';
import { printFields, printJson, printLines, readStdin } from '../output.js';
import { globalOptions } from './shared.js';

/** Registers `mission login`, `logout` and `whoami`. */
export function registerLoginCommands(program: Command): void {
  program
    .command('login')
    .description('Store a credential for this machine (API key, or email + password) in ~/.config/mission/config.json (mode 0600)')
    .option('--email <email>', 'sign in as a user with a password (read from stdin)')
    .option('--code <digits>', 'with --email, when the account has MFA on: the six digits your authenticator app shows')
    .option('--recovery-code <code>', 'with --email, when the account has MFA on: one of your recovery codes (it then stops working)')
    .addHelpText(
      'after',
      `
Examples:
  mission login --url http://127.0.0.1:4000 --api-key mc_…
  echo "$PASSWORD" | mission login --url http://127.0.0.1:4000 --email admin@mission.local
  echo "$PASSWORD" | mission login --email admin@mission.local --code 123456   # MFA on`,
    )
    .action(async (options: { email?: string; code?: string; recoveryCode?: string }, command: Command) => {
      const flags = globalOptions(command);
      const url = resolveConnection({ url: flags.url }).url;
      if (options.email) {
        const password = (await readStdin()).replace(/\r?\n$/, '');
        if (!password) throw new UsageError('Pipe the password on stdin: echo "$PASSWORD" | mission login --email you@example.com');
        const client = new MissionControl({ baseUrl: url });
        const mfa = options.code ? { code: options.code } : options.recoveryCode ? { recoveryCode: options.recoveryCode } : undefined;
        const session = await client.auth.login({ email: options.email, password }, mfa).catch((error: unknown) => {
          if (isMissionControlError(error) && error.code === 'MFA_REQUIRED') {
            throw new UsageError('This account has MFA on: run it again with --code <the six digits your app shows> (or --recovery-code).');
          }
          throw error;
        });
        saveStoredLogin({
          url,
          accessToken: session.accessToken,
          accessTokenExpiresAt: session.accessTokenExpiresAt,
          refreshToken: session.refreshToken,
          refreshTokenExpiresAt: session.refreshTokenExpiresAt,
          identity: `user ${session.user.email} in ${session.workspace.name}`,
        });
        if (flags.json) printJson({ url, kind: 'user', email: session.user.email, workspace: session.workspace });
        else
          printLines(
            `Signed in to ${url} as ${session.user.email} (${session.role} of ${session.workspace.name}). Saved to ${configFilePath()}.`,
          );
        return;
      }
      const apiKey = flags.apiKey ?? resolveConnection(flags).credential;
      if (!apiKey) throw new UsageError('Pass --api-key mc_… (or --email you@example.com with the password on stdin).');
      const client = new MissionControl({ baseUrl: url, apiKey });
      const me = await client.auth.me();
      const identity =
        me.kind === 'agent' ? `agent ${me.agent.name} in ${me.workspace.name}` : `user ${me.user.email} in ${me.workspace.name}`;
      saveStoredLogin({ url, apiKey, identity });
      if (flags.json) printJson({ url, ...me });
      else printLines(`Logged in to ${url} as ${identity}. Saved to ${configFilePath()}.`);
    });

  program
    .command('logout')
    .description('Forget the stored login')
    .action(async (_options: unknown, command: Command) => {
      const removed = deleteStoredLogin();
      if (globalOptions(command).json) printJson({ removed });
      else printLines(removed ? 'Logged out.' : 'There was no stored login.');
    });

  program
    .command('whoami')
    .description('Show the server, where the credential comes from, and who it belongs to')
    .action(async (_options: unknown, command: Command) => {
      const flags = globalOptions(command);
      const connection = resolveConnection(flags);
      const client = await createClient(flags);
      const me = await client.auth.me();
      if (flags.json) {
        printJson({ url: connection.url, credentialSource: connection.credentialSource, ...me });
        return;
      }
      printFields([
        ['Server', connection.url],
        ['Credential', `from ${connection.credentialSource}`],
        ['Who', me.kind === 'agent' ? `agent ${me.agent.name} (${me.agent.id})` : `user ${me.user.email} (${me.role})`],
        ['Workspace', `${me.workspace.name} (${me.workspace.id})`],
      ]);
    });
}
