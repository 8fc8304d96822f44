import { z } from 'zod';
import { idSchema } from '../common.js';
import { defineEvent } from './event-base.js';

export const mfaEnabledEventSchema = defineEvent(
  'mfa-enabled',
  { id: 'MfaEnabledEvent', description: 'A person turned on an authenticator app (TOTP): sign-in now asks for a code after the password.' },
  { userId: idSchema, method: z.literal('totp') },
);

export const mfaDisabledEventSchema = defineEvent(
  'mfa-disabled',
  { id: 'MfaDisabledEvent', description: 'A person turned MFA off (with a code or a recovery code): sign-in asks for the password only.' },
  { userId: idSchema, method: z.literal('totp') },
);

export const mfaRecoveryCodeUsedEventSchema = defineEvent(
  'mfa-recovery-code-used',
  {
    id: 'MfaRecoveryCodeUsedEvent',
    description: 'A person signed in with one of their recovery codes, which stopped working; `remaining` are left.',
  },
  { userId: idSchema, remaining: z.number().int() },
);

export const mfaEventSchemas = [mfaEnabledEventSchema, mfaDisabledEventSchema, mfaRecoveryCodeUsedEventSchema] as const;
