import type { Me, Task } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { createAttachmentTools } from './attachment-tools.js';
import { createDocumentShareTools } from './document-share-tools.js';
import { createDocumentTools } from './document-tools.js';
import { createGithubTools } from './github-tools.js';
import { LeaseStore } from './lease-store.js';
import { createMemoryTools } from './memory-tools.js';
import { createNotificationTools } from './notification-tools.js';
import type { LogNotice } from './resource-subscriptions.js';
import { createSkillTools } from './skill-tools.js';
import { createTaskTools } from './task-tools.js';
import { createWorkflowTools } from './workflow-tools.js';

/**
 * One tool of the agent tool set, independent of the transport: the MCP server registers these,
 * and the built-in runtime hands the same definitions to its model loop ("one definition, two
 * transports"), so a fix to a description or a behaviour reaches both.
 */
export interface AgentTool {
  name: string;
  title: string;
  /** Written for a model: when to use the tool and what it returns. */
  description: string;
  /** The arguments as a zod shape (an object schema's `.shape`); the MCP server refuses keys outside it. */
  inputSchema: z.ZodRawShape;
  /** The structuredContent a successful run answers, as a zod shape; every tool of the MCP server has one. */
  outputSchema?: z.ZodRawShape;
  /** What the tool does to the world (read-only, destructive, idempotent, outside services), for MCP clients. */
  annotations?: ToolAnnotations;
  /** Runs the tool on arguments already validated against inputSchema; never throws (failures are tool errors). */
  run(input: Record<string, unknown>): Promise<CallToolResult>;
}

/** What the tools act with: the caller's SDK client and the lease tokens its claims received. */
export interface AgentToolContext {
  client: MissionControl;
  /** Shared by the tools of one session so update_task_status can present the lease claim_task got. */
  leases?: LeaseStore;
  /** Told of things the client's log should show (a lease lost); the MCP server sends them as log messages. */
  onNotice?: LogNotice;
}

/** Keeps each tool's argument types while the list holds them all under one type. */
export function defineAgentTool<Shape extends z.ZodRawShape>(definition: {
  name: string;
  title: string;
  description: string;
  inputSchema: Shape;
  outputSchema: z.ZodRawShape;
  annotations: ToolAnnotations;
  run(input: z.output<z.ZodObject<Shape>>): Promise<CallToolResult>;
}): AgentTool {
  return { ...definition, run: (input) => definition.run(input as z.output<z.ZodObject<Shape>>) };
}

/** One line per task, the form every tool answers tasks in. */
export function taskLine(task: Task): string {
  return `${task.key} [${task.status}, ${task.priority}] ${task.title}`;
}

/** Who the client acts as, asked once per tool set (and asked again after a failure). */
export function createIdentity(client: MissionControl): { whoAmI: () => Promise<Me>; myPrincipalId: () => Promise<string> } {
  let identity: Promise<Me> | undefined;
  const whoAmI = () => {
    identity ??= client.auth.me().catch((error: unknown) => {
      identity = undefined;
      throw error;
    });
    return identity;
  };
  const myPrincipalId = async () => {
    const me = await whoAmI();
    return me.kind === 'agent' ? me.agent.id : me.user.id;
  };
  return { whoAmI, myPrincipalId };
}

/** The agent tool set: check in, list and claim tasks, update status, messages, subtasks, documents, WORKING.md, notifications. */
export function createAgentTools(context: AgentToolContext): AgentTool[] {
  const { client } = context;
  const leases = context.leases ?? new LeaseStore();
  const { myPrincipalId } = createIdentity(client);

  return [
    ...createTaskTools({ client, leases, myPrincipalId, ...(context.onNotice ? { onNotice: context.onNotice } : {}) }),
    ...createDocumentTools(client),
    ...createNotificationTools(client),
    ...createGithubTools(client),
    ...createWorkflowTools(client),
    ...createMemoryTools(client, myPrincipalId),
    ...createSkillTools(client),
    ...createAttachmentTools(client),
    ...createDocumentShareTools(client),
  ];
}
