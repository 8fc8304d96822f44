import type { Command } from 'commander';
import { environment } from '../config.js';
import { type DemoPace, demoPaces, runDemo } from '../demo/run-demo.js';
import { clientFor, oneOf, parseInteger } from './shared.js';

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
    .option(
      '--connect',
      'run the scripted squad on the server of --url / MISSION_URL as you (an owner or admin; your login or MISSION_API_KEY) instead of starting one',
    )
    .option('--pace <pace>', 'how fast the squad works: slow, normal or fast (normal by default)')
    .option('--exit', 'stop once the first goal is done instead of working and serving until Ctrl-C')
    .addHelpText(
      'after',
      '\nExamples:\n  mission demo\n  MISSION_LLM_BASE_URL=http://127.0.0.1:11434/v1 MISSION_LLM_MODEL=qwen3 mission demo\n  mission demo --scripted --port 4100 --exit\n  mission demo --pace slow\n  mission demo --connect --url http://127.0.0.1:4000\n\nUntil Ctrl-C the squad keeps working: it heartbeats, takes new tasks that need its capabilities\n(planning, research, writing, code, review), answers @mentions, and a second goal arrives a while\nafter the first.',
    )
    .action(
      async (
        options: { scripted?: boolean; port?: string; data?: string; exit?: boolean; pace?: string; connect?: boolean },
        command: Command,
      ) => {
        const pace = oneOf('--pace', options.pace, Object.keys(demoPaces) as DemoPace[]) ?? 'normal';
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const client = options.connect ? await clientFor(command) : undefined;
        const result = await runDemo({
          ...(client ? { client } : {}),
          environment: environment.variables,
          scripted: options.scripted === true,
          port: parseInteger('--port', options.port) ?? 4000,
          pace,
          ...(options.data ? { dataDirectory: options.data } : {}),
          exitWhenDone: options.exit === true,
          keepWorking: options.exit !== true,
          signal: controller.signal,
        });
        if (options.exit) return;
        process.stdout.write(`\nThe squad keeps working at ${result.server.url} until Ctrl-C.\n`);
        try {
          await result.working;
        } finally {
          await result.server.close();
        }
        process.stdout.write(client ? 'Stopped the squad.\n' : 'Stopped the squad and the server.\n');
      },
    );
}
