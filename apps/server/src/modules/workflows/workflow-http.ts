import type { WorkflowStep } from '@mission-control/contracts';
import { z } from 'zod';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/database.js';
import { postGuarded, TargetRefused } from '../integrations/outbound/guarded-http.js';
import type { OutboundService } from '../integrations/outbound/outbound.service.js';
import type { OutboundTransport, TransportResult } from '../integrations/outbound/outbound-transport.js';
import { signWebhook } from '../integrations/webhooks/webhook-transport.js';
import { findStepRowById, findWorkflowRunById, setRunWake } from './workflow.repository.js';
import { interpolateText, interpolateValue, type WorkflowScope } from './workflow-expressions.js';
import { markStepFinished } from './workflow-steps.js';

/** The outbound channel of `http` steps: one delivery per step attempt, its target the step row. */
export const workflowHttpChannel = 'workflow-http';

const excerptBytes = 2_048;

/** What an http step's delivery stores: the request exactly as the first attempt sends it. */
const workflowHttpPayloadSchema = z.object({
  url: z.string(),
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']),
  body: z.string(),
  timeoutMs: z.number().int().positive(),
  /** More attempts after a failure (the step's `retries`), spaced by the sender's schedule. */
  retries: z.number().int().min(0),
});
export type WorkflowHttpPayload = z.infer<typeof workflowHttpPayloadSchema>;

/** The workspace's signing secret for http steps (Standard Webhooks, `whsec_…`). */
export function workflowSigningSecret(outbound: OutboundService, workspaceId: string): string {
  return outbound.deriveSigningSecret(`workflow-http:${workspaceId}`);
}

/** The request of an http step, its strings filled; the body is JSON (the run and step when the definition gives none). */
export function buildHttpRequest(
  step: Extract<WorkflowStep, { kind: 'http' }>,
  scope: WorkflowScope,
  defaultTimeoutMs: number,
): WorkflowHttpPayload {
  const method = step.method ?? 'POST';
  const body =
    step.body !== undefined
      ? JSON.stringify(interpolateValue(step.body, scope))
      : method === 'GET' || method === 'DELETE'
        ? ''
        : JSON.stringify({ run: scope.run, stepId: step.id, inputs: scope.inputs });
  return {
    url: interpolateText(step.url, scope),
    method,
    body,
    timeoutMs: step.timeoutSeconds ? Math.min(step.timeoutSeconds * 1_000, defaultTimeoutMs) : defaultTimeoutMs,
    retries: step.retries ?? 0,
  };
}

/**
 * Sends http steps through the durable sender: signed like webhooks (with the workspace's
 * workflow secret), SSRF-guarded, retried on the sender's schedule up to the step's `retries`;
 * the settlement finishes the step in the same transaction that logs the attempt.
 */
export function createWorkflowHttpTransport(dependencies: { db: DatabaseExecutor; outbound: OutboundService }) {
  const { outbound } = dependencies;
  // What an attempt got, for the settlement of the same attempt (on this instance, right after it).
  const answers = new Map<string, { excerpt: string; refusal: string | null; error: string | null }>();
  const transport: OutboundTransport = {
    async send(delivery, attempt): Promise<TransportResult> {
      const row = await findStepRowById(dependencies.db, delivery.target_id);
      if (row?.status !== 'running') return { outcome: 'cancelled', error: 'The workflow step is no longer waiting for this request.' };
      const request = parseJsonColumn(workflowHttpPayloadSchema, delivery.payload, 'outbound_deliveries.payload');
      const secret = workflowSigningSecret(outbound, delivery.workspace_id);
      try {
        const answer = await postGuarded(request.url, outbound.policy, {
          method: request.method,
          headers: { ...signWebhook([secret], delivery.id, attempt.at, request.body), 'user-agent': 'MissionControl-Workflows/1.0' },
          body: request.body,
          timeoutMs: Math.min(request.timeoutMs, attempt.timeoutMs),
          excerptBytes,
        });
        const success = answer.statusCode >= 200 && answer.statusCode < 300;
        const error = success ? null : `the target answered HTTP ${answer.statusCode}`;
        answers.set(delivery.id, { excerpt: answer.responseExcerpt, refusal: null, error });
        return {
          outcome: success ? 'succeeded' : 'failed',
          statusCode: answer.statusCode,
          responseExcerpt: answer.responseExcerpt,
          error,
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const refusal = error instanceof TargetRefused ? message : null;
        answers.set(delivery.id, { excerpt: '', refusal, error: message });
        if (!refusal) throw error;
        return { outcome: 'failed', statusCode: null, responseExcerpt: '', error: `refused: ${message}` };
      }
    },

    async onSettled(executor, delivery, settlement) {
      const answer = answers.get(delivery.id);
      answers.delete(delivery.id);
      const refusal = answer?.refusal ?? null;
      const row = await findStepRowById(executor, delivery.target_id);
      const run = row ? await findWorkflowRunById(executor, row.run_id) : undefined;
      if (!row || !run || row.status !== 'running') return undefined;
      const request = parseJsonColumn(workflowHttpPayloadSchema, delivery.payload, 'outbound_deliveries.payload');
      const output = { statusCode: settlement.statusCode, body: answer?.excerpt ?? '', attempts: settlement.roundAttempts };
      const at = settlement.at;
      if (settlement.status === 'succeeded') {
        await markStepFinished(executor, run, row, 'done', output, null, at);
      } else if (refusal || settlement.status === 'dead' || settlement.roundAttempts > request.retries) {
        await outbound.cancelQueuedDeliveries(executor, workflowHttpChannel, row.id, 'the workflow step gave up');
        const reason = refusal
          ? `the request was refused: ${refusal}`
          : `${answer?.error ?? 'no answer'} (${settlement.roundAttempts} ${settlement.roundAttempts === 1 ? 'attempt' : 'attempts'})`;
        await markStepFinished(executor, run, row, 'failed', output, reason, at);
      } else {
        return undefined;
      }
      await setRunWake(executor, [run.id], at.toISOString());
      return undefined;
    },
  };
  return transport;
}
