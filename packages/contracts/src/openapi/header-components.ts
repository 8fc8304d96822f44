import type { JsonSchema } from './schema-components.js';

/** The response headers of the API, documented once and referenced from each response. */
export const responseHeaderComponents: Record<string, JsonSchema> = {
  RateLimitLimit: {
    description: 'How many requests a minute this caller may make (per agent or user; per address for sign-in).',
    schema: { type: 'integer' },
  },
  RateLimitRemaining: { description: 'How many requests are left in the current minute.', schema: { type: 'integer' } },
  RateLimitReset: { description: 'Seconds until the count starts again.', schema: { type: 'integer' } },
  RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
  IdempotencyReplayed: {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
  ETag: {
    description: 'The version of what was answered, in quotes (`"3"`); send it back in If-Match to update it.',
    schema: { type: 'string' },
  },
  CacheControl: { description: 'Caches must check again before reusing the answer.', schema: { type: 'string' } },
  Location: { description: 'Where the browser goes next.', schema: { type: 'string' } },
  WWWAuthenticate: {
    description: 'How to authenticate: `Bearer`, with the reason when a credential was sent.',
    schema: { type: 'string' },
  },
};
