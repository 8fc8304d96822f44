import { type EndpointDefinition, type EndpointResult, endpoints, type Health, type Me, type Status } from '@mission-control/contracts';
import { MissionControlError } from './errors.js';
import { type ConnectOptions, EventStream, type EventStreamContext } from './event-stream.js';
import { resolveWebSocket, type SubscribeOptions, subscribeToEvents, type Unsubscribe, type WebSocketConstructor } from './events.js';
import { ActivitiesResource } from './resources/activities.js';
import { AgentsResource } from './resources/agents.js';
import { AlertsResource } from './resources/alerts.js';
import { AnalyticsResource } from './resources/analytics.js';
import { AttachmentsResource } from './resources/attachments.js';
import { AuditLogResource } from './resources/audit-log.js';
import { AuthResource, type ResourceContext } from './resources/auth.js';
import { CreditsResource } from './resources/credits.js';
import { DocumentsResource } from './resources/documents.js';
import { GithubResource } from './resources/github.js';
import { InboundHooksResource } from './resources/inbound-hooks.js';
import { InvitationsResource } from './resources/invitations.js';
import { MarketplaceResource } from './resources/marketplace.js';
import { MemoriesResource, SearchResource } from './resources/memories.js';
import { MessagesResource } from './resources/messages.js';
import { NotificationPreferencesResource } from './resources/notification-preferences.js';
import { NotificationsResource } from './resources/notifications.js';
import { OrganizationsResource } from './resources/organizations.js';
import { RentalsResource } from './resources/rentals.js';
import { RunnersResource } from './resources/runners.js';
import { RunsResource } from './resources/runs.js';
import { RuntimeResource } from './resources/runtime.js';
import { SkillsResource } from './resources/skills.js';
import { SystemResource } from './resources/system.js';
import { TasksResource } from './resources/tasks.js';
import { WebhooksResource } from './resources/webhooks.js';
import { ApprovalsResource, AutomationResource, WorkflowsResource } from './resources/workflows.js';
import { WorkingStateResource } from './resources/working-state.js';
import { MembersResource, RolesResource, WorkspacesResource } from './resources/workspaces.js';
import {
  defaultRetryOptions,
  type EndpointCallArguments,
  type FetchFunction,
  HttpTransport,
  type RetryOptions,
  type TransportResponse,
} from './transport.js';

/** What `new MissionControl(…)` takes. */
export interface MissionControlOptions {
  /** The server root, such as `http://127.0.0.1:4000` (a trailing `/api/v1` is accepted too). */
  baseUrl: string;
  /**
   * An agent or user API key (`mc_…`). Every request and stream made with an API key is signed
   * (X-Mission-Signature), as keys created with `requireSignature` need; the others ignore it.
   */
  apiKey?: string;
  /** A user's access token from `auth.login`. */
  accessToken?: string;
  /**
   * Where the credential comes from, read before every request attempt and every socket attempt
   * (so a refreshed access token is used at once); overrides `apiKey`, `accessToken` and the
   * tokens `auth.login` and `auth.refresh` would set.
   */
  credential?: () => string | undefined | Promise<string | undefined>;
  /**
   * Called once when an answer is 401 (or the event stream refuses the credential); resolve true
   * after renewing the credential and the request is sent once more (the stream reconnects).
   */
  onUnauthorized?: () => Promise<boolean>;
  /** A fetch implementation; the global one by default. */
  fetch?: FetchFunction;
  /** A WebSocket class; the global one, else the `ws` package. */
  webSocket?: WebSocketConstructor;
  /** Retries of failed calls; pass `{ retries: 0 }` to turn them off. */
  retry?: Partial<RetryOptions>;
  /** Backoff between reconnections of the event stream. */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** How long one attempt may take before it counts as failed (30 s by default). */
  timeoutMs?: number;
}

/** Environment variables `fromEnvironment` reads. */
export type Environment = Record<string, string | undefined>;

function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new MissionControlError('VALIDATION_FAILED', `"${baseUrl}" is not a URL: pass the server root, such as http://127.0.0.1:4000.`);
  }
  return url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\/api\/v1$/, '');
}

function processEnvironment(): Environment {
  const process: unknown = Reflect.get(globalThis, 'process');
  const env: unknown = typeof process === 'object' && process !== null ? Reflect.get(process, 'env') : undefined;
  if (typeof env !== 'object' || env === null) return {};
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, typeof value === 'string' ? value : undefined]));
}

/** The typed client of the Mission Control API: REST resources plus the event stream. */
export class MissionControl {
  /** The server root this client talks to. */
  readonly baseUrl: string;
  /** Sign-in, sessions, the caller's identity and API keys. */
  readonly auth: AuthResource;
  /** The current workspace and the user's workspaces. */
  readonly workspaces: WorkspacesResource;
  /** People in the workspace. */
  readonly members: MembersResource;
  /** Custom roles: built-in roles narrowed to named sets of permissions. */
  readonly roles: RolesResource;
  /** Organisations: their people, limits, sign-in rules and teams. */
  readonly organizations: OrganizationsResource;
  /** The marketplace: publish, search, install, review and moderate listings. */
  readonly marketplace: MarketplaceResource;
  /** Credits: the workspace's balance and history, grants and refunds. */
  readonly credits: CreditsResource;
  /** Rentals of marketplace listings: disputes while the price is held in escrow, resolved by server administrators. */
  readonly rentals: RentalsResource;
  /** Invitations: inviting people, and answering invitations and invitation links. */
  readonly invitations: InvitationsResource;
  /** Agents, their keys and heartbeats. */
  readonly agents: AgentsResource;
  /** Tasks, assignment, status, claims. */
  readonly tasks: TasksResource;
  /** Task threads. */
  readonly messages: MessagesResource;
  /** Versioned documents. */
  readonly documents: DocumentsResource;
  /** Files attached to tasks and messages. */
  readonly attachments: AttachmentsResource;
  /** The activity feed. */
  readonly activities: ActivitiesResource;
  /** The caller's notifications. */
  readonly notifications: NotificationsResource;
  /** The shared WORKING.md. */
  readonly workingState: WorkingStateResource;
  /** Built-in agents and coordination: runtime, wake, runs, usage, budgets, assignment, escalation, review. */
  readonly runtime: RuntimeResource;
  /** `mission runner` processes: registration, heartbeats, live state. */
  readonly runners: RunnersResource;
  /** Runs of agents (built-in turns and runner runs): create, steps, finish, cancel, get, list. */
  readonly runs: RunsResource;
  /** Outbound webhook endpoints, their deliveries and the dead-letter queue. */
  readonly webhooks: WebhooksResource;
  /** Inbound hooks that outside tools call. */
  readonly inboundHooks: InboundHooksResource;
  /** The caller's notification preferences and the workspace's shared channels. */
  readonly notificationPreferences: NotificationPreferencesResource;
  /** GitHub connections: issues as tasks, pull requests, code search and file reads. */
  readonly github: GithubResource;
  /** Workflows, their runs, versions and templates. */
  readonly workflows: WorkflowsResource;
  /** The approvals inbox. */
  readonly approvals: ApprovalsResource;
  /** Routines (cron) and triggers (event rules). */
  readonly automation: AutomationResource;
  /** What agents remember: memories, recall, sharing. */
  readonly memories: MemoriesResource;
  /** One search over tasks, messages, documents and memories. */
  readonly search: SearchResource;
  /** Skills learned from solved tasks, and task outcomes. */
  readonly skills: SkillsResource;
  /** Numbers computed on the server: the overview and throughput over time. */
  readonly analytics: AnalyticsResource;
  /** The audit trail (owners and admins). */
  readonly auditLog: AuditLogResource;
  /** The anomaly detector's alerts and thresholds. */
  readonly alerts: AlertsResource;
  /** Each instance's CPU, memory, disk, event-loop lag and sockets over time. */
  readonly system: SystemResource;
  /** The live event stream over WebSocket. */
  readonly events: {
    /** Calls `onEvent` for every event, reconnecting and resuming without duplicates, until the returned function is called. */
    subscribe(options: SubscribeOptions): Unsubscribe;
    /** Opens a stream with status, topics, heartbeat and a send queue; `stop()` closes it. */
    connect(options?: ConnectOptions): EventStream;
  };

  private credential: string | undefined;
  private readonly transport: HttpTransport;
  private identity: Promise<Me> | undefined;

  /** Creates a client for one server and one credential. */
  constructor(options: MissionControlOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.credential = options.apiKey ?? options.accessToken;
    const credential = options.credential ?? (() => this.credential);
    const fetchFunction = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
    const transport = new HttpTransport({
      baseUrl: this.baseUrl,
      fetch: fetchFunction,
      retry: { ...defaultRetryOptions, ...options.retry },
      timeoutMs: options.timeoutMs ?? 30_000,
      credential,
      onUnauthorized: options.onUnauthorized,
    });
    this.transport = transport;
    const context: ResourceContext = {
      transport,
      setAccessToken: (token) => this.setCredential(token),
      whoAmI: () => {
        this.identity ??= this.auth.me().catch((error: unknown) => {
          this.identity = undefined;
          throw error;
        });
        return this.identity;
      },
    };
    this.auth = new AuthResource(context);
    this.workspaces = new WorkspacesResource(context);
    this.members = new MembersResource(context);
    this.roles = new RolesResource(context);
    this.organizations = new OrganizationsResource(context);
    this.marketplace = new MarketplaceResource(context);
    this.credits = new CreditsResource(context);
    this.rentals = new RentalsResource(context);
    this.invitations = new InvitationsResource(context);
    this.agents = new AgentsResource(context);
    this.tasks = new TasksResource(context);
    this.messages = new MessagesResource(context);
    this.documents = new DocumentsResource(context);
    this.attachments = new AttachmentsResource(context);
    this.activities = new ActivitiesResource(context);
    this.notifications = new NotificationsResource(context);
    this.workingState = new WorkingStateResource(context);
    this.runtime = new RuntimeResource(context);
    this.runners = new RunnersResource(context);
    this.runs = new RunsResource(context);
    this.webhooks = new WebhooksResource(context);
    this.inboundHooks = new InboundHooksResource(context);
    this.notificationPreferences = new NotificationPreferencesResource(context);
    this.github = new GithubResource(context);
    this.workflows = new WorkflowsResource(context);
    this.approvals = new ApprovalsResource(context);
    this.automation = new AutomationResource(context);
    this.memories = new MemoriesResource(context);
    this.search = new SearchResource(context);
    this.skills = new SkillsResource(context);
    this.analytics = new AnalyticsResource(context);
    this.auditLog = new AuditLogResource(context);
    this.alerts = new AlertsResource(context);
    this.system = new SystemResource(context);

    let webSocketClass: Promise<WebSocketConstructor> | undefined;
    const streamContext: EventStreamContext = {
      baseUrl: this.baseUrl,
      credential,
      onUnauthorized: options.onUnauthorized,
      webSocket: () => {
        webSocketClass ??= resolveWebSocket(options.webSocket);
        return webSocketClass;
      },
      reconnect: { minDelayMs: options.reconnect?.minDelayMs ?? 500, maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000 },
    };
    this.events = {
      subscribe: (subscribeOptions) => subscribeToEvents(streamContext, subscribeOptions),
      connect: (connectOptions = {}) => {
        const { connectNow = true, ...streamOptions } = connectOptions;
        const stream = new EventStream(streamContext, streamOptions);
        if (connectNow) stream.start();
        return stream;
      },
    };
  }

  /** Builds a client from MISSION_URL and MISSION_API_KEY (the process environment by default). */
  static fromEnvironment(environment: Environment = processEnvironment(), options: Partial<MissionControlOptions> = {}): MissionControl {
    const baseUrl = options.baseUrl ?? environment.MISSION_URL;
    const apiKey = options.apiKey ?? environment.MISSION_API_KEY;
    if (!baseUrl) {
      throw new MissionControlError(
        'MISSING_CREDENTIALS',
        'MISSION_URL is not set: export MISSION_URL=http://127.0.0.1:4000 (your server).',
      );
    }
    if (!apiKey && !options.accessToken && !options.credential) {
      throw new MissionControlError(
        'MISSING_CREDENTIALS',
        'MISSION_API_KEY is not set: create a key with `mission agents key <agent>` (or in the dashboard) and export MISSION_API_KEY=mc_….',
      );
    }
    return new MissionControl({ ...options, baseUrl, ...(apiKey ? { apiKey } : {}) });
  }

  /** Calls any endpoint by its contracts definition (`endpoints.listTasks`, …) and returns its parsed answer. */
  request<Definition extends EndpointDefinition>(
    endpoint: Definition,
    ...input: EndpointCallArguments<Definition>
  ): Promise<EndpointResult<Definition>> {
    return this.transport.call(endpoint, ...input);
  }

  /** Like request, and also returns the status and headers of the answer (ETag, Idempotency-Replayed). */
  requestWithResponse<Definition extends EndpointDefinition>(
    endpoint: Definition,
    ...input: EndpointCallArguments<Definition>
  ): Promise<TransportResponse<EndpointResult<Definition>>> {
    return this.transport.callWithResponse(endpoint, ...input);
  }

  /** The server's health report: status ok or degraded, per dependency; it is answered (not thrown) when the database is down (503). */
  health(): Promise<Health> {
    return this.transport.call(endpoints.getHealth);
  }

  /** The status page's data: API, event stream and dependencies, uptime and latency over 90 days (404 STATUS_PAGE_DISABLED unless the server enables it). */
  status(): Promise<Status> {
    return this.transport.call(endpoints.getStatus);
  }

  /** Replaces the credential (API key or access token) used from now on, unless a `credential` function was given. */
  setCredential(credential: string): void {
    this.credential = credential;
    this.identity = undefined;
  }
}
