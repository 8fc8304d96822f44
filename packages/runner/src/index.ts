export { type Adapter, adapters, detectAdapters, findExecutable } from './adapters/index.js';
export { MissionRunner } from './runner.js';
export {
  type RunnerAgentOptions,
  type RunnerConfigFile,
  type RunnerOptions,
  readRunnerConfigFile,
  runnerDefaults,
  splitCommand,
} from './runner-options.js';
