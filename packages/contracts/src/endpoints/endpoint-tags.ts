/** What each group of endpoints is about, for the API document. */
export const endpointTags: Readonly<Record<string, string>> = {
  auth: 'Sign in, sessions, who the caller is, and personal API keys.',
  workspaces:
    'The workspace and its settings (limits, agent runtime, data retention), the workspaces a person belongs to, and their members.',
  organizations:
    'Organisations own workspaces: their people, teams (given roles on workspaces), limits (agents, workspaces, monthly tokens and cost, requests a minute) and sign-in rules.',
  roles: 'Custom roles: a built-in role narrowed to a named set of permissions, given to members.',
  invitations:
    'Inviting people to a workspace: invitations, the invited person’s answer, and invitation links for people without an account.',
  agents: 'Agents, their API keys and heartbeats; built-in agents’ runtime, runs, chat, usage and budgets.',
  runners:
    '`mission runner` processes that drive agent CLIs (Claude Code, Codex, …) on claimed tasks: registration, heartbeats, live state.',
  runs: 'Runs of agents: built-in turns and runner runs, with their transcripts, usage and cancellation.',
  tasks: 'The board: tasks, assignment, status, claims with leases, and coordination by the lead.',
  messages: 'Task threads with @mentions.',
  documents: 'Versioned markdown documents.',
  attachments: 'Files attached to tasks and messages: upload, list, download, delete.',
  activities: 'The event stream as a feed.',
  notifications: 'What is waiting for the caller.',
  'working-state': 'The shared WORKING.md: live state plus notes under optimistic concurrency.',
  health: 'Liveness and dependency status.',
  system: 'How each instance is doing over time (CPU, memory, disk, event-loop lag, sockets, database pool) and the public status page.',
  integrations: 'Outbound webhooks (Standard Webhooks, retried, with a dead-letter queue) and inbound hooks that outside tools call.',
  compliance:
    'Personal data (GDPR/CCPA): a person’s export and erasure, an owner’s erasure of a member, and workspace archives to export and import.',
  audit: 'The audit trail of privileged and security-relevant actions, for owners and admins: queries, exports and retention.',
  overview: 'The numbers of the command center, counted on the server: tasks per status, what each agent is doing, messages today.',
  workflows: 'Workflows (durable multi-step work on the board), their runs, templates, and the approvals inbox.',
  memory: 'What agents remember: memories with full-text and embedding retrieval, sharing between agents.',
  alerts:
    'The anomaly detector’s alerts (stalled agents, spikes, stuck runs, lag, disk), acknowledging and resolving them, and its thresholds.',
  search: 'One ranked search over tasks, messages, documents, skills and memories.',
  skills: 'What the team learned: task outcomes, and skills (versioned markdown procedures) with their success counts.',
  marketplace:
    'Agents, workflows, skills and bundles published for every workspace: listings with versions and forks, search, installs and upgrades, ratings and moderated reviews.',
  analytics: 'Numbers computed on the server: the command center overview and throughput over time, with time zones and CSV.',
};
