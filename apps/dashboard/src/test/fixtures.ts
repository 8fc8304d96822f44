import {
  type Activity,
  type ActivityOf,
  type Agent,
  type ApiKey,
  activitySchema,
  apiKeySchema,
  type CustomRole,
  customRoleSchema,
  type Member,
  type SessionTokens,
  type Task,
  taskSchema,
  type Workspace,
  type WorkspaceRole,
} from '@mission-control/contracts';

let counter = 0;
/** A valid UUIDv7-shaped id, different on every call. */
export function testId(): string {
  counter += 1;
  return `0193d6a0-0000-7000-8000-${String(counter).padStart(12, '0')}`;
}

export const workspaceId = testId();
const at = '2026-01-01T09:00:00.000Z';

export function makeTask(overrides: Partial<Task> = {}): Task {
  const number = overrides.number ?? counter + 1;
  // Parsed, so the fixture follows the contract as it grows (fields it does not know are dropped).
  return taskSchema.parse({
    lease: null,
    id: testId(),
    key: `TASK-${number}`,
    number,
    workspaceId,
    title: `Task ${number}`,
    description: '',
    status: 'inbox',
    priority: 'medium',
    assignees: [],
    creator: { kind: 'user', id: testId() },
    parentId: null,
    dependencyIds: [],
    requiredCapabilities: [],
    dueAt: null,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    ...overrides,
  });
}

export function makeAgent(overrides: Partial<Agent> = {}): Agent {
  return {
    id: testId(),
    workspaceId,
    name: 'alpha',
    role: 'researcher',
    kind: 'specialist',
    status: 'idle',
    sessionKey: 'agent:researcher:alpha',
    capabilities: [],
    memoryContext: '',
    heartbeatIntervalSeconds: 60,
    concurrencyLimit: 1,
    a2a: { published: false },
    lastHeartbeatAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** An API key of an agent (or, with owner, of a person): live, never used, with no restrictions. */
export function makeApiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  // Parsed, so the fixture follows the contract as it grows.
  return apiKeySchema.parse({
    id: testId(),
    name: 'laptop',
    prefix: 'mc_abcd',
    owner: { kind: 'agent', id: testId() },
    createdAt: at,
    lastUsedAt: null,
    revokedAt: null,
    expiresAt: null,
    scopes: null,
    allowedIps: null,
    rateLimitPerMinute: null,
    requireSignature: false,
    lastUsedIp: null,
    replacedById: null,
    ...overrides,
  });
}

export function makeMember(name: string, email: string, overrides: Partial<Omit<Member, 'user'>> = {}): Member {
  return { user: { id: testId(), email, name, createdAt: at }, role: 'member', customRole: null, joinedAt: at, ...overrides };
}

/** A custom role narrowing member to reading tasks, held by nobody. */
export function makeCustomRole(overrides: Partial<CustomRole> = {}): CustomRole {
  // Parsed, so the fixture follows the contract as it grows.
  return customRoleSchema.parse({
    id: testId(),
    name: 'Triage',
    description: '',
    baseRole: 'member',
    permissions: ['tasks.read'],
    memberCount: 0,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  });
}

/** A type with the data of that type; left out, a task-created event. */
type ActivityEvent = { [Type in Activity['type']]: Pick<ActivityOf<Type>, 'type' | 'data'> }[Activity['type']];
type ActivityOverrides = Partial<Pick<Activity, 'id' | 'actor' | 'taskId' | 'agentId' | 'summary' | 'createdAt'>> &
  (ActivityEvent | { type?: undefined; data?: undefined });

export function makeActivity(seq: number, overrides: ActivityOverrides = {}): Activity {
  // Parsed, so a fixture is an event the client would accept from the server.
  return activitySchema.parse({
    seq,
    id: testId(),
    workspaceId,
    actor: null,
    taskId: null,
    agentId: null,
    summary: `event ${seq}`,
    createdAt: at,
    type: 'task-created',
    data: { key: `TASK-${seq}`, title: `Task ${seq}`, status: 'inbox', priority: 'medium', assignees: [], parentId: null },
    ...overrides,
  });
}

/** A signed-in session of Olivia with a role, valid for the next hour, in the test workspace (or the one given). */
export function makeSession(role: WorkspaceRole, workspace?: Workspace): SessionTokens {
  const later = new Date(Date.now() + 3_600_000).toISOString();
  return {
    accessToken: 'access',
    accessTokenExpiresAt: later,
    refreshToken: 'refresh',
    refreshTokenExpiresAt: later,
    tokenType: 'Bearer',
    user: { id: testId(), email: 'olivia@example.com', name: 'Olivia', createdAt: later },
    workspace: workspace ?? { id: workspaceId, name: 'Acme', slug: 'acme', taskKeyPrefix: 'TASK', wipLimits: {}, createdAt: later },
    role,
  };
}
