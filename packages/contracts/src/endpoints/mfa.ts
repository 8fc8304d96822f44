import { sessionTokensSchema } from '../auth.js';
import {
  confirmTotpSchema,
  disableTotpSchema,
  mfaStatusSchema,
  recoveryCodesSchema,
  totpEnrolmentSchema,
  verifyMfaSchema,
} from '../mfa.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'auth';

export const getMfaStatus = defineEndpoint({
  operationId: 'getMfaStatus',
  method: 'GET',
  path: '/api/v1/auth/mfa',
  tag,
  auth: 'user',
  summary: 'Whether your account has MFA on',
  description: 'Whether an authenticator app (TOTP) is required at sign-in, and how many unused recovery codes are left.',
  responses: { 200: { description: 'Your MFA settings', schema: mfaStatusSchema } },
  errors: [],
});

export const beginTotpEnrolment = defineEndpoint({
  operationId: 'beginTotpEnrolment',
  method: 'POST',
  path: '/api/v1/auth/mfa/totp',
  tag,
  auth: 'user',
  summary: 'Begin turning on an authenticator app (TOTP)',
  description:
    'Answers a new secret and its otpauth:// URI: show the URI as a QR code, scan it with the app, then confirm with POST /api/v1/auth/mfa/totp/confirm and the first code. Nothing changes at sign-in until it is confirmed; beginning again replaces an unconfirmed secret. With MFA already on, answers 409 MFA_ALREADY_ENABLED: turn it off first.',
  responses: { 201: { description: 'The secret to enrol, encrypted at rest on the server', schema: totpEnrolmentSchema } },
  oneTimeSecretField: 'secret',
  errors: ['MFA_ALREADY_ENABLED', 'IDEMPOTENCY_SECRET_NOT_REPLAYABLE'],
});

export const confirmTotpEnrolment = defineEndpoint({
  operationId: 'confirmTotpEnrolment',
  method: 'POST',
  path: '/api/v1/auth/mfa/totp/confirm',
  tag,
  auth: 'user',
  summary: 'Turn MFA on with the first code',
  description:
    'Checks a code from the app against the secret begun with POST /api/v1/auth/mfa/totp, turns MFA on and answers ten single-use recovery codes, shown this once (only their hashes are kept). Appends an `mfa-enabled` event. A wrong code answers 400 MFA_CODE_INVALID: check the phone’s clock and try the next code.',
  body: confirmTotpSchema,
  responses: { 200: { description: 'MFA is on; the recovery codes, shown once', schema: recoveryCodesSchema } },
  oneTimeSecretField: 'recoveryCodes',
  errors: ['MFA_ENROLMENT_NOT_STARTED', 'MFA_ALREADY_ENABLED', 'MFA_CODE_INVALID', 'IDEMPOTENCY_SECRET_NOT_REPLAYABLE'],
});

export const disableTotp = defineEndpoint({
  operationId: 'disableTotp',
  method: 'DELETE',
  path: '/api/v1/auth/mfa/totp',
  tag,
  auth: 'user',
  summary: 'Turn MFA off',
  description:
    'Needs a current code from the app, or one recovery code. The secret and every recovery code are deleted; sign-in asks for the password only. Appends an `mfa-disabled` event.',
  body: disableTotpSchema,
  responses: { 204: { description: 'MFA is off' } },
  errors: ['MFA_NOT_ENABLED', 'MFA_CODE_INVALID'],
});

export const verifyMfa = defineEndpoint({
  operationId: 'verifyMfa',
  method: 'POST',
  path: '/api/v1/auth/mfa/verify',
  tag,
  auth: 'public',
  summary: 'Finish signing in with an MFA code',
  description:
    'When POST /api/v1/auth/login answered `mfaRequired`, send its challengeToken with a code from the authenticator app (or one recovery code, which then stops working) to get the usual token pair. Each code works once. A challenge lasts five minutes and allows five wrong codes; after that, or once used, it answers 401 MFA_CHALLENGE_INVALID: sign in again with the password.',
  body: verifyMfaSchema,
  responses: {
    200: { description: 'The token pair, as login answers without MFA', schema: sessionTokensSchema },
  },
  errors: ['MFA_CHALLENGE_INVALID', 'MFA_CODE_INVALID', 'UNAUTHENTICATED'],
});
