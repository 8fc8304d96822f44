export { type BuildAppOptions, buildApp } from './app.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export { type RunningServer, runServer, startServer } from './main.js';
