import type { Command } from 'commander';
import { environment } from '../config.js';
import { runDemo } from '../demo/run-demo.js';
import { parseInteger } from './shared.js';

/** Registers `mission demo`. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Start a server with a demo squad (a lead, three specialists, a reviewer) and a goal, and run them: LLM agents when a model is configured, scripted agents otherwise',
    )
    .option('--scripted', 'use scripted agents even when a model is configured')
    .option('--port <port>', 'where the server listens (4000 by default)')
    .option('--data <directory>', 'where the demo database goes (a fresh temporary directory by default)')
    .option('--exit', 'stop once the goal is done instead of serving until Ctrl-C')
    .addHelpText(
      'after',
      '\nExamples:\n  mission demo\n  MISSION_LLM_BASE_URL=http://127.0.0.1:11434/v1 MISSION_LLM_MODEL=qwen3 mission demo\n  mission demo --scripted --port 4100 --exit',
    )
    .action(async (options: { scripted?: boolean; port?: string; data?: string; exit?: boolean }) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const result = await runDemo({
        environment: environment.variables,
        scripted: options.scripted === true,
        port: parseInteger('--port', options.port) ?? 4000,
        ...(options.data ? { dataDirectory: options.data } : {}),
        exitWhenDone: options.exit === true,
        signal: controller.signal,
      });
      if (options.exit) return;
      process.stdout.write(`\nThe squad is done; the server keeps running at ${result.server.url}. Ctrl-C to stop.\n`);
      await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
      await result.server.close();
    });
}
