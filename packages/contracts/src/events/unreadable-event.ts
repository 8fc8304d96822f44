import { z } from 'zod';
import { defineEvent } from './event-base.js';

/**
 * What the server delivers for a stored event it cannot read: an unknown type (written by a
 * later version) or data that no longer matches its schema. The common fields and the summary
 * are kept, so the feed still shows the line; readers that act on data skip it.
 */
export const unreadableEventSchema = defineEvent(
  'event-unreadable',
  {
    id: 'UnreadableEvent',
    description:
      'Never written: the server delivers a stored event in this shape when its type is unknown or its data does not match the schema of its type.',
  },
  {
    storedType: z.string().describe('The type stored with the event'),
    issues: z.array(z.string()).describe('Why its data could not be read'),
  },
);
