import Stripe from 'stripe';

/** Stripe, as the server is configured for it (MISSION_STRIPE_*). */
export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** https://api.stripe.com, or a local stand-in. */
  apiUrl: string;
}

/** One credit is one cent: the unit Stripe's amounts already use. */
export const stripeCurrency = 'usd';

/** The official client, pointed at the configured API (a local stand-in in tests). */
export function createStripeClient(settings: StripeSettings): Stripe {
  const api = new URL(settings.apiUrl);
  return new Stripe(settings.secretKey, {
    host: api.hostname,
    port: api.port || (api.protocol === 'http:' ? 80 : 443),
    protocol: api.protocol === 'http:' ? 'http' : 'https',
    telemetry: false,
    maxNetworkRetries: 2,
  });
}
