import type { OutboundService } from '../outbound/outbound.service.js';
import { chatChannels, createChatTransport } from './chat-transport.js';
import { createEmailTransport, emailChannel, type SmtpSettings } from './email-transport.js';

/** Registers the notification channels with the durable sender: Slack and Discord always, email when SMTP is configured. */
export function registerChannelTransports(outbound: OutboundService, smtp: SmtpSettings | undefined): void {
  const chat = createChatTransport(outbound);
  for (const channel of chatChannels) outbound.registerTransport(channel, chat);
  if (smtp) outbound.registerTransport(emailChannel, createEmailTransport(smtp));
}
