/** What each group of endpoints is about, for the API document. */
export const endpointTags: Readonly<Record<string, string>> = {
  auth: 'Sign in, sessions, who the caller is, and personal API keys.',
  workspaces: 'The workspace, the workspaces a person belongs to, and their members.',
  agents: 'Agents, their API keys and heartbeats; built-in agents’ runtime, runs, chat, usage and budgets.',
  tasks: 'The board: tasks, assignment, status, claims with leases, and coordination by the lead.',
  messages: 'Task threads with @mentions.',
  documents: 'Versioned markdown documents.',
  activities: 'The event stream as a feed.',
  notifications: 'What is waiting for the caller.',
  'working-state': 'The shared WORKING.md: live state plus notes under optimistic concurrency.',
  health: 'Liveness and dependency status.',
  integrations: 'Outbound webhooks (Standard Webhooks, retried, with a dead-letter queue) and inbound hooks that outside tools call.',
};
