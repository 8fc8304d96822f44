export { type BuildAppOptions, buildApp } from './app.js';
export {
  BackupError,
  type BackupSummary,
  backupConfiguredDatabase,
  backupDatabase,
  restoreConfiguredDatabase,
  restoreDatabase,
} from './backup/backup.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export { type RunningServer, runServer, startServer } from './main.js';
export { workflowTemplates } from './modules/workflow-templates/workflow-templates.js';
export { checkWorkflowExpression } from './modules/workflows/workflow-expressions.js';
