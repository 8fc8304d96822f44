import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { printJson, printLines } from '../output.js';
import { globalOptions } from './shared.js';

type Summary = { engine: string; file: string; tables: Record<string, number> };

function printSummary(command: Command, verb: string, summary: Summary): void {
  if (globalOptions(command).json === true) {
    printJson(summary);
    return;
  }
  const rows = Object.entries(summary.tables).filter(([name]) => name !== 'pages');
  printLines(`${verb} ${summary.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database: ${summary.file}`);
  for (const [table, count] of rows) printLines(`  ${table.padEnd(28)} ${count}`);
}

/** Loads the server on demand (like serve) and turns its configuration and backup errors into usage errors. */
async function loadServer() {
  const server = await import('@mission-control/server');
  return {
    server,
    config: () => {
      try {
        return server.loadConfig();
      } catch (error) {
        if (error instanceof server.ConfigError) throw new UsageError(error.message, 78);
        throw error;
      }
    },
    explain: (error: unknown): never => {
      if (error instanceof server.BackupError) throw new UsageError(error.message, 1);
      throw error;
    },
  };
}

/** Registers `mission backup <file>` and `mission restore <file>` (the database of the server's configuration). */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('Back up the database (SQLite online backup, or a JSON-lines dump of PostgreSQL); the server may keep running')
    .argument('<file>', 'where to write the backup')
    .addHelpText(
      'after',
      '\nUses the server configuration (MISSION_DATA_DIR or DATABASE_URL), not --url.\n\nExamples:\n  mission backup mission-$(date +%F).db\n  DATABASE_URL=postgres://localhost/mission mission backup mission.jsonl',
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const { server, config, explain } = await loadServer();
      const summary = await server.backupConfiguredDatabase(config(), file).catch(explain);
      printSummary(command, 'Backed up the', summary);
    });

  program
    .command('restore')
    .description('Replace the database with a backup made by `mission backup` (stop every server instance first)')
    .argument('<file>', 'the backup to restore')
    .option('--force', 'replace a database that already holds data')
    .addHelpText('after', '\nExamples:\n  mission restore mission-2026-11-22.db\n  mission restore mission.jsonl --force')
    .action(async (file: string, options: { force?: boolean }, command: Command) => {
      const { server, config, explain } = await loadServer();
      const summary = await server.restoreConfiguredDatabase(config(), file, { force: options.force === true }).catch(explain);
      printSummary(command, 'Restored the', summary);
    });
}
