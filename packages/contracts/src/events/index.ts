export * from './agent-events.js';
export * from './budget-events.js';
export * from './document-events.js';
export * from './message-events.js';
export * from './run-events.js';
export * from './task-events.js';
export * from './unreadable-event.js';
export * from './workspace-events.js';
