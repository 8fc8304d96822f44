import { z } from 'zod';
import { parseJsonColumn } from '../../../db/database.js';
import { postGuarded } from '../outbound/guarded-http.js';
import type { OutboundService } from '../outbound/outbound.service.js';
import type { OutboundTransport } from '../outbound/outbound-transport.js';

/** Slack and Discord incoming webhooks: a JSON POST to a secret URL. */
export const chatChannels = ['slack', 'discord'] as const;

/** What a chat delivery stores: the sealed incoming-webhook URL and the JSON body in the service's format. */
export const chatPayloadSchema = z.object({ url: z.string(), body: z.string() });
export type ChatPayload = z.infer<typeof chatPayloadSchema>;

/** Posts to Slack or Discord incoming webhooks through the SSRF guard; 2xx is success, 410 ends the delivery. */
export function createChatTransport(outbound: Pick<OutboundService, 'openSecret' | 'policy'>): OutboundTransport {
  return {
    async send(delivery, attempt) {
      const payload = parseJsonColumn(chatPayloadSchema, delivery.payload, 'outbound_deliveries.payload');
      const url = outbound.openSecret(payload.url);
      if (!url)
        return {
          outcome: 'cancelled',
          error: 'The incoming-webhook URL cannot be opened: the instance secret changed. Set the URL again.',
        };
      const answer = await postGuarded(url, outbound.policy, {
        headers: { 'user-agent': 'MissionControl-Notifications/1.0' },
        body: payload.body,
        timeoutMs: attempt.timeoutMs,
      });
      const success = answer.statusCode >= 200 && answer.statusCode < 300;
      return {
        outcome: success ? 'succeeded' : answer.statusCode === 410 ? 'gone' : 'failed',
        statusCode: answer.statusCode,
        responseExcerpt: answer.responseExcerpt,
        error: success ? null : `The incoming webhook answered HTTP ${answer.statusCode}.`,
      };
    },
  };
}
