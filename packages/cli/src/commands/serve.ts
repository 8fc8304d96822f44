import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';

/** Registers `mission serve` (what `npm start` runs). */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the server (SQLite in ./data, or PostgreSQL when DATABASE_URL is set)')
    .addHelpText('after', '\nExamples:\n  PORT=8080 mission serve\n  DATABASE_URL=postgres://localhost/mission mission serve')
    .action(async () => {
      // Loaded on demand: the other commands start faster without the server's dependencies.
      const { ConfigError, runServer } = await import('@mission-control/server');
      try {
        await runServer();
      } catch (error) {
        if (error instanceof ConfigError) throw new UsageError(error.message, 78);
        throw error;
      }
      // The server keeps the process alive until SIGINT or SIGTERM.
      await new Promise(() => {});
    });
}
