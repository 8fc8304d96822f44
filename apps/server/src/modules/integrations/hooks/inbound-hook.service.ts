import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type CreateInboundHookInput,
  createTaskSchema,
  type InboundHook,
  type InboundHookResult,
  type InboundHookWithSecret,
  postMessageSchema,
  taskReferenceSchema,
  type UpdateInboundHookInput,
} from '@mission-control/contracts';
import type { Updateable } from 'kysely';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { z } from 'zod';
import { assertCan } from '../../../auth/permissions.js';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../../auth/principal.js';
import { createId } from '../../../core/ids.js';
import type { ServiceContext } from '../../../core/service-context.js';
import type { InboundHookTable } from '../../../db/schema.js';
import { appendEvent } from '../../../events/event.repository.js';
import { AppError } from '../../../http/app-error.js';
import type { MessageService } from '../../messages/message.service.js';
import type { TaskService } from '../../tasks/task.service.js';
import type { WorkspaceService } from '../../workspaces/workspace.service.js';
import type { OutboundService } from '../outbound/outbound.service.js';
import {
  deleteInboundHook,
  findInboundHook,
  findInboundHookById,
  type InboundHookRow,
  insertInboundHook,
  listInboundHooks,
  readTemplate,
  toInboundHook,
  updateInboundHook,
} from './inbound-hook.repository.js';
import { applyTemplate, checkTemplate } from './inbound-hook-template.js';

/** How far a Standard Webhooks timestamp may be from the server's clock. */
const signatureToleranceMs = 5 * 60_000;

/** A hook secret in the Standard Webhooks format, so a sender's Standard Webhooks library can sign with it as it is. */
function generateHookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function equalText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What an outside call brings: the exact body it signed, the parsed payload and its headers (lower-case). */
export interface InboundCall {
  rawBody: string;
  payload: Record<string, unknown>;
  headers: Record<string, string | undefined>;
}

/** Whether the call carries the secret: as a bearer token, an HMAC of the body, or Standard Webhooks headers. */
function isAuthentic(secret: string, call: InboundCall, now: Date): boolean {
  const { headers, rawBody } = call;
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim();
  if (bearer) return equalText(bearer, secret);
  const signature = /^sha256=([0-9a-f]{64})$/i.exec(headers['x-mission-signature'] ?? '')?.[1];
  if (signature) return equalText(signature.toLowerCase(), createHmac('sha256', secret).update(rawBody).digest('hex'));
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = headers['webhook-signature'];
  if (!id || !signatures || !Number.isFinite(timestamp)) return false;
  const signedAt = new Date(timestamp * 1_000);
  if (Math.abs(now.getTime() - signedAt.getTime()) > signatureToleranceMs) return false;
  const expected = new StandardWebhook(secret).sign(id, signedAt, rawBody);
  return signatures.split(' ').some((candidate) => equalText(candidate, expected));
}

/** The headers a template may read: everything but the credentials. */
function templateHeaders(headers: InboundCall['headers']): Record<string, string> {
  const hidden = new Set(['authorization', 'x-mission-signature', 'webhook-signature', 'cookie']);
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => (value === undefined || hidden.has(name) ? [] : [[name, value]])),
  );
}

function unmappable(field: string, error: z.ZodError): AppError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : field;
  return new AppError(
    'INBOUND_HOOK_PAYLOAD_UNMAPPABLE',
    `The template turned this payload into an invalid ${where}: ${issue?.message ?? 'invalid'}. Change the template or the payload.`,
    { field: where, issues: error.issues.map((entry) => ({ path: entry.path.join('.'), message: entry.message })) },
  );
}

/** Starting workflows, when this server has the workflows module. */
export interface WorkflowStarter {
  startWorkflow(principal: Principal, workflow: string, input: unknown): Promise<{ id: string }>;
}

export type InboundHookService = ReturnType<typeof createInboundHookService>;

/**
 * Inbound hooks: an outside tool POSTs JSON with the hook's secret, and the hook's template (CEL
 * over the payload) turns it into a task, a message in a thread, or a workflow run, done in the
 * name of the person who created the hook, with their permissions as they are now.
 */
export function createInboundHookService(
  context: ServiceContext,
  dependencies: {
    outbound: OutboundService;
    tasks: TaskService;
    messages: MessageService;
    workspaces: WorkspaceService;
    workflows?: WorkflowStarter | undefined;
  },
) {
  const { db, clock } = context;
  const { outbound } = dependencies;

  async function requireHook(principal: Principal, hookId: string): Promise<InboundHookRow> {
    assertCan(principal, 'integration:manage');
    const row = await findInboundHook(db, principal.workspaceId, hookId);
    if (!row)
      throw new AppError(
        'INBOUND_HOOK_NOT_FOUND',
        'No inbound hook with this id in the workspace. List them with GET /api/v1/inbound-hooks.',
      );
    return row;
  }

  /** The creator as a principal with their current role; refused when they left the workspace. */
  async function creatorOf(row: InboundHookRow): Promise<Principal> {
    const member = (await dependencies.workspaces.listMembers(systemPrincipal(row.workspace_id))).find(
      (candidate) => candidate.user.id === row.created_by_id,
    );
    if (!member) {
      throw new AppError(
        'FORBIDDEN',
        'The person who created this hook is no longer a member of the workspace. An owner or admin must create the hook again.',
      );
    }
    return { kind: 'user', id: member.user.id, workspaceId: row.workspace_id, role: member.role, sessionId: null };
  }

  async function saveChanges(
    principal: Principal,
    row: InboundHookRow,
    changes: Updateable<InboundHookTable>,
    changed: string[],
    at: Date,
  ) {
    await db.transaction().execute(async (trx) => {
      await updateInboundHook(trx, row.id, changes);
      await appendEvent(trx, {
        workspaceId: principal.workspaceId,
        type: 'inbound-hook-updated',
        actor: toPrincipalReference(principal),
        summary: `Inbound hook "${row.name}" changed (${changed.join(', ')})`,
        data: { hookId: row.id, changes: changed },
        at,
      });
    });
  }

  async function carryOut(row: InboundHookRow, fields: Record<string, unknown>): Promise<InboundHookResult> {
    if (row.action === 'start-workflow') {
      if (!dependencies.workflows) {
        throw new AppError(
          'WORKFLOWS_UNAVAILABLE',
          'Workflows are not available on this server, so this hook cannot start one. Change its action or upgrade the server.',
        );
      }
      const principal = await creatorOf(row);
      await dependencies.workflows.startWorkflow(principal, String(fields.workflow), fields.input ?? {});
      return { action: row.action, taskId: null, taskKey: null, messageId: null };
    }
    const principal = await creatorOf(row);
    if (row.action === 'create-task') {
      const input = createTaskSchema.safeParse(fields);
      if (!input.success) throw unmappable('task', input.error);
      const task = await dependencies.tasks.createTask(principal, input.data);
      return { action: row.action, taskId: task.id, taskKey: task.key, messageId: null };
    }
    const { task: reference, ...message } = fields;
    const taskReference = taskReferenceSchema.safeParse(typeof reference === 'number' ? String(reference) : reference);
    if (!taskReference.success) throw unmappable('task', taskReference.error);
    const input = postMessageSchema.safeParse(message);
    if (!input.success) throw unmappable('message', input.error);
    const posted = await dependencies.messages.postMessage(principal, taskReference.data, input.data);
    return { action: row.action, taskId: posted.taskId, taskKey: null, messageId: posted.id };
  }

  return {
    async createInboundHook(principal: Principal, input: CreateInboundHookInput): Promise<InboundHookWithSecret> {
      assertCan(principal, 'integration:manage');
      if (principal.kind !== 'user')
        throw new AppError('FORBIDDEN', 'Inbound hooks act in the name of a person: create them signed in as one.');
      checkTemplate(input.action, input.template);
      const secret = generateHookSecret();
      const now = clock.now();
      const at = now.toISOString();
      const row = {
        id: createId(),
        workspace_id: principal.workspaceId,
        name: input.name,
        action: input.action,
        template: JSON.stringify(input.template),
        secret: outbound.sealSecret(secret),
        disabled_at: input.enabled ? null : at,
        created_by_kind: principal.kind,
        created_by_id: principal.id,
        last_received_at: null,
        created_at: at,
        updated_at: at,
      };
      await db.transaction().execute(async (trx) => {
        await insertInboundHook(trx, row);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'inbound-hook-created',
          actor: toPrincipalReference(principal),
          summary: `Inbound hook "${input.name}" created (${input.action})`,
          data: { hookId: row.id, name: input.name, action: input.action },
          at: now,
        });
      });
      return { ...toInboundHook(row), secret };
    },

    async listInboundHooks(principal: Principal): Promise<{ data: InboundHook[] }> {
      assertCan(principal, 'integration:manage');
      return { data: (await listInboundHooks(db, principal.workspaceId)).map(toInboundHook) };
    },

    async getInboundHook(principal: Principal, hookId: string): Promise<InboundHook> {
      return toInboundHook(await requireHook(principal, hookId));
    },

    async updateInboundHook(principal: Principal, hookId: string, input: UpdateInboundHookInput): Promise<InboundHook> {
      const row = await requireHook(principal, hookId);
      if (input.template) checkTemplate(row.action, input.template);
      const now = clock.now();
      const changes = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.template !== undefined ? { template: JSON.stringify(input.template) } : {}),
        ...(input.enabled !== undefined ? { disabled_at: input.enabled ? null : (row.disabled_at ?? now.toISOString()) } : {}),
        updated_at: now.toISOString(),
      };
      await saveChanges(principal, row, changes, Object.keys(input), now);
      return toInboundHook({ ...row, ...changes });
    },

    async rotateInboundHookSecret(principal: Principal, hookId: string): Promise<InboundHookWithSecret> {
      const row = await requireHook(principal, hookId);
      const secret = generateHookSecret();
      const now = clock.now();
      const changes = { secret: outbound.sealSecret(secret), updated_at: now.toISOString() };
      await saveChanges(principal, row, changes, ['secret'], now);
      return { ...toInboundHook({ ...row, ...changes }), secret };
    },

    async deleteInboundHook(principal: Principal, hookId: string): Promise<void> {
      const row = await requireHook(principal, hookId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await deleteInboundHook(trx, row.id);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'inbound-hook-deleted',
          actor: toPrincipalReference(principal),
          summary: `Inbound hook "${row.name}" deleted`,
          data: { hookId: row.id },
          at: now,
        });
      });
    },

    /** An outside call: checks the secret first, then maps the payload and carries out the action. */
    async receiveInboundHook(hookId: string, call: InboundCall): Promise<InboundHookResult> {
      const row = await findInboundHookById(db, hookId);
      if (!row) throw new AppError('INBOUND_HOOK_NOT_FOUND', 'No inbound hook with this id. Check the URL the hook was created with.');
      const secret = outbound.openSecret(row.secret);
      const now = clock.now();
      if (!secret || !isAuthentic(secret, call, now)) {
        throw new AppError(
          'INBOUND_HOOK_SIGNATURE_INVALID',
          "The call does not carry the hook's secret. Send Authorization: Bearer <secret>, X-Mission-Signature: sha256=<hex HMAC of the body>, or Standard Webhooks headers signed with it.",
        );
      }
      if (row.disabled_at)
        throw new AppError('INBOUND_HOOK_DISABLED', 'This inbound hook is disabled. An owner or admin can enable it again.');
      const fields = applyTemplate(readTemplate(row), { payload: call.payload, headers: templateHeaders(call.headers) });
      const result = await carryOut(row, fields);
      await db.transaction().execute(async (trx) => {
        await updateInboundHook(trx, row.id, { last_received_at: now.toISOString() });
        await appendEvent(trx, {
          workspaceId: row.workspace_id,
          type: 'inbound-hook-received',
          actor: { kind: row.created_by_kind, id: row.created_by_id },
          taskId: result.taskId,
          summary: `Inbound hook "${row.name}" ran ${row.action}${result.taskKey ? `: ${result.taskKey}` : ''}`,
          data: { hookId: row.id, action: row.action, ...(result.messageId ? { messageId: result.messageId } : {}) },
          at: now,
        });
      });
      return result;
    },
  };
}
