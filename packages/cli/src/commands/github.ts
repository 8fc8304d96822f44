import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable, readStdin } from '../output.js';
import { clientFor, globalOptions, splitList } from './shared.js';

/** `label=capability` pairs, comma-separated, into the capability mapping. */
function parseCapabilityMapping(text: string | undefined): Record<string, string> | undefined {
  const pairs = splitList(text);
  if (!pairs) return undefined;
  return Object.fromEntries(
    pairs.map((pair) => {
      const [label, capability] = pair.split('=').map((part) => part.trim());
      if (!label || !capability) throw new UsageError(`--capabilities: "${pair}" is not label=capability.`);
      return [label, capability];
    }),
  );
}

/** Registers `mission github connect|ls|sync`. */
export function registerGithubCommands(program: Command): void {
  const github = program
    .command('github')
    .description('GitHub: labelled issues become tasks and follow them both ways, runner branches become pull requests');

  github
    .command('connect <repository>')
    .description('Connect owner/repo with a token read from stdin; prints the webhook secret once')
    .option('--label <label>', 'open issues with this label become tasks', 'mission-control')
    .option('--capabilities <pairs>', 'issue label → required capability, as label=capability, comma-separated')
    .addHelpText(
      'after',
      '\nThe token is read from stdin so it stays out of the shell history.\n\nExamples:\n  echo "$GITHUB_TOKEN" | mission github connect octo-org/widgets --label mission\n  echo "$GITHUB_TOKEN" | mission github connect octo-org/widgets --capabilities frontend=react,docs=writing',
    )
    .action(async (repository: string, options: { label: string; capabilities?: string }, command: Command) => {
      const [owner, repo, ...rest] = repository.split('/');
      if (!owner || !repo || rest.length > 0) throw new UsageError(`"${repository}" is not owner/repo, such as octo-org/widgets.`);
      const token = (await readStdin()).trim();
      if (!token) throw new UsageError('Pipe the token on stdin: echo "$GITHUB_TOKEN" | mission github connect owner/repo');
      const capabilityMapping = parseCapabilityMapping(options.capabilities);
      const client = await clientFor(command);
      const created = await client.github.connect({
        owner,
        repo,
        token,
        label: options.label,
        ...(capabilityMapping ? { capabilityMapping } : {}),
      });
      if (globalOptions(command).json) {
        printJson(created);
        return;
      }
      printLines(
        `Connected ${created.owner}/${created.repo} (${created.id}): issues labelled "${created.label}" become tasks.`,
        `GitHub webhook: POST <server>${created.webhookPath}, content type application/json, events: issues, issue comments, pull requests.`,
        `Webhook secret (shown once, paste it in GitHub's webhook settings now): ${created.webhookSecret}`,
      );
    });

  github
    .command('ls')
    .description('List the connected repositories with their sync status')
    .action(async (_options: unknown, command: Command) => {
      const client = await clientFor(command);
      const list = await client.github.list();
      if (globalOptions(command).json) {
        printJson(list);
        return;
      }
      printTable(list, [
        ['id', (connection) => connection.id],
        ['repository', (connection) => `${connection.owner}/${connection.repo}`],
        ['label', (connection) => connection.label],
        ['enabled', (connection) => (connection.enabled ? 'yes' : 'no')],
        ['issues', (connection) => String(connection.sync.importedIssues)],
        ['open PRs', (connection) => String(connection.sync.openPullRequests)],
        ['polled', (connection) => (connection.sync.lastPolledAt ? formatTime(connection.sync.lastPolledAt) : 'never')],
        ['error', (connection) => connection.sync.lastError ?? ''],
      ]);
    });

  github
    .command('sync <connectionId>')
    .description('Poll a connection now: labelled issues, new comments, open pull requests')
    .addHelpText('after', '\nExample:\n  mission github sync 0190…')
    .action(async (connectionId: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const result = await client.github.sync(connectionId);
      if (globalOptions(command).json) {
        printJson(result);
        return;
      }
      printLines(
        result.notModified && result.comments === 0 && result.merged === 0
          ? 'Nothing changed on GitHub since the last sync.'
          : `Imported ${result.imported} issue(s), updated ${result.updated} task(s), brought ${result.comments} comment(s), ${result.merged} merged pull request(s).`,
      );
    });
}
