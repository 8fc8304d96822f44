import { z } from 'zod';
import { timestampSchema } from './common.js';

// What every channel of the durable sender shares: a delivery's states and its attempts.

export const webhookDeliveryStatusSchema = z
  .enum(['pending', 'succeeded', 'failed', 'dead'])
  .describe(
    'pending: not tried yet; failed: the last attempt failed and another is scheduled; dead: out of attempts (the dead-letter queue)',
  );
export type WebhookDeliveryStatus = z.infer<typeof webhookDeliveryStatusSchema>;

/** One try at sending a delivery. */
export const deliveryAttemptSchema = z
  .object({
    attempt: z.number().int().describe('1 for the first try'),
    at: timestampSchema,
    statusCode: z.number().int().nullable().describe('The HTTP status (or SMTP code) answered; null when nothing answered'),
    durationMs: z.number().int(),
    responseExcerpt: z.string().describe('The first bytes of the answer'),
    error: z.string().nullable().describe('Why it failed, when it did'),
  })
  .meta({ id: 'DeliveryAttempt' });
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;
