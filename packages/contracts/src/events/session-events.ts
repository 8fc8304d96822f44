import { z } from 'zod';
import { idSchema } from '../common.js';
import { defineEvent } from './event-base.js';

/** Why a login session ended before its time. */
export const sessionEndReasonSchema = z
  .enum(['signed-out', 'refresh-token-reused', 'account-erased'])
  .describe(
    'signed-out: the user logged out; refresh-token-reused: a used refresh token came back, so the session was ended as a precaution; account-erased: the person (or an owner) erased the account',
  );
export type SessionEndReason = z.infer<typeof sessionEndReasonSchema>;

export const sessionEndedEventSchema = defineEvent(
  'session-ended',
  {
    id: 'SessionEndedEvent',
    description:
      "A user's login session ended (sign-out, or refresh-token reuse): its tokens stopped working and its open streams were closed.",
  },
  { sessionId: idSchema, userId: idSchema, reason: sessionEndReasonSchema },
);

export const sessionEventSchemas = [sessionEndedEventSchema] as const;
