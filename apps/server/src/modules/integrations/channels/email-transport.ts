import nodemailer from 'nodemailer';
import { z } from 'zod';
import { parseJsonColumn } from '../../../db/database.js';
import type { OutboundTransport } from '../outbound/outbound-transport.js';

export const emailChannel = 'email';

/** What an email delivery stores: the whole message, plain text and HTML. */
export const emailPayloadSchema = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
});
export type EmailPayload = z.infer<typeof emailPayloadSchema>;

export interface SmtpSettings {
  /** smtp://user:pass@host:port or smtps://… (MISSION_SMTP_URL). */
  url: string;
  /** The From header (MISSION_SMTP_FROM). */
  from: string;
}

function responseCodeOf(error: unknown): number | null {
  if (error && typeof error === 'object' && 'responseCode' in error && typeof error.responseCode === 'number') return error.responseCode;
  return null;
}

/** Sends email deliveries over SMTP with nodemailer: the mail server accepting the message is success. */
export function createEmailTransport(smtp: SmtpSettings): OutboundTransport {
  const mailer = nodemailer.createTransport(smtp.url);
  return {
    async send(delivery, attempt) {
      const message = parseJsonColumn(emailPayloadSchema, delivery.payload, 'outbound_deliveries.payload');
      const timeout = AbortSignal.timeout(attempt.timeoutMs);
      try {
        const sent = await Promise.race([
          mailer.sendMail({ from: smtp.from, to: message.to, subject: message.subject, text: message.text, html: message.html }),
          new Promise<never>((_, reject) =>
            timeout.addEventListener('abort', () => reject(new Error(`no answer within ${attempt.timeoutMs / 1_000} s`))),
          ),
        ]);
        const response = String(sent.response ?? '');
        return {
          outcome: 'succeeded',
          statusCode: Number.parseInt(response, 10) || 250,
          responseExcerpt: response.slice(0, 1_024),
          error: null,
        };
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        return { outcome: 'failed', statusCode: responseCodeOf(error), responseExcerpt: text.slice(0, 1_024), error: text };
      }
    },
  };
}
