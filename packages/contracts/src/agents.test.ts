import { describe, expect, it } from 'vitest';
import { replaceAgentSchema, updateAgentSchema } from './agents.js';
import { listNotificationsQuerySchema } from './notifications.js';

describe('agent inputs', () => {
  it('fills a full replacement with the registration defaults and leaves the status and session key to the server', () => {
    expect(replaceAgentSchema.parse({ name: 'jarvis', role: 'Technical' })).toEqual({
      name: 'jarvis',
      role: 'Technical',
      kind: 'specialist',
      capabilities: [],
      memoryContext: '',
      heartbeatIntervalSeconds: 60,
      concurrencyLimit: 1,
      a2a: { published: false },
    });
    expect(replaceAgentSchema.safeParse({ role: 'Technical' }).success).toBe(false);
    expect(replaceAgentSchema.safeParse({ name: 'jarvis', role: 'x', lastHeartbeatAt: null }).success).toBe(false);
  });

  it('edits the same fields with PUT as with PATCH', () => {
    expect(Object.keys(replaceAgentSchema.shape).sort()).toEqual(Object.keys(updateAgentSchema.shape).sort());
  });
});

describe('notification filters', () => {
  it('takes unread as a boolean from clients and as text from the query string', () => {
    expect(listNotificationsQuerySchema.parse({ unread: 'true' }).unread).toBe(true);
    expect(listNotificationsQuerySchema.parse({ unread: 'false' }).unread).toBe(false);
    expect(listNotificationsQuerySchema.parse({ unread: true }).unread).toBe(true);
    expect(listNotificationsQuerySchema.parse({}).unread).toBeUndefined();
    expect(listNotificationsQuerySchema.safeParse({ unread: 'yes' }).success).toBe(false);
  });
});
