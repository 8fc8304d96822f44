#!/usr/bin/env node
import { ConfigError, runServer } from '@mission-control/server';

const usage = `mission — run and talk to Mission Control

Usage:
  mission serve          Start the server (SQLite in ./data, or PostgreSQL when DATABASE_URL is set)
  mission --help         Show this help

Examples:
  PORT=8080 mission serve
  DATABASE_URL=postgres://localhost/mission mission serve
`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'serve':
      await runServer();
      return -1;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`mission: unknown command "${command}". Run "mission --help" to see the commands.\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`mission: ${error.message}\n`);
      process.exitCode = 78;
      return;
    }
    process.stderr.write(`mission: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
