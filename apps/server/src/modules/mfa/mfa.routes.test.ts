import { generate } from 'otplib';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../../test/test-server.js';

describeEachEngine('mfa', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  /** The code an authenticator app shows `offsetSeconds` from the server's test clock. */
  const codeAt = (secret: string, offsetSeconds = 0) =>
    generate({ secret, epoch: Math.floor(server.clock.now().getTime() / 1000) + offsetSeconds });
  const login = () =>
    server.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ownerEmail, password: ownerPassword }, token: null });
  const verify = (payload: Record<string, unknown>) =>
    server.request({ method: 'POST', url: '/api/v1/auth/mfa/verify', payload, token: null });
  const ownerId = () => server.ownerPrincipal.id;

  /** Turns MFA on for the owner; answers the secret and the recovery codes, with the clock a step later. */
  async function enrolOwner() {
    const begun = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp' });
    expect(begun.statusCode).toBe(201);
    const { secret } = begun.json();
    const confirmed = await server.request({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      payload: { code: await codeAt(secret) },
    });
    expect(confirmed.statusCode).toBe(200);
    server.clock.advance(30_000);
    return { secret: secret as string, recoveryCodes: confirmed.json().recoveryCodes as string[] };
  }

  it('begins enrolment with a secret and an otpauth URI, stores the secret sealed, and changes nothing at sign-in yet', async () => {
    const begun = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp' });
    expect(begun.statusCode).toBe(201);
    const { secret, otpauthUri } = begun.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(decodeURIComponent(otpauthUri)).toContain(ownerEmail);
    expect(decodeURIComponent(otpauthUri)).toContain('issuer=Mission Control');

    const stored = await server.database.db.selectFrom('mfa_totp_factors').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.enabled_at).toBeNull();
    expect(stored[0]?.secret_sealed).not.toContain(secret);

    const status = await server.request({ method: 'GET', url: '/api/v1/auth/mfa' });
    expect(status.json()).toEqual({ totpEnabled: false, totpEnabledAt: null, enrolmentPending: true, recoveryCodesRemaining: 0 });
    const signedIn = await login();
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().accessToken).toEqual(expect.any(String));
  });

  it('answers 400 MFA_CODE_INVALID to a wrong first code and 409 MFA_ENROLMENT_NOT_STARTED before enrolment', async () => {
    const early = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', payload: { code: '123456' } });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('MFA_ENROLMENT_NOT_STARTED');

    const { secret } = (await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp' })).json();
    const right = await codeAt(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    const refused = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', payload: { code: wrong } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('MFA_CODE_INVALID');
    const malformed = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', payload: { code: '12ab56' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
    const stored = await server.database.db.selectFrom('mfa_totp_factors').select('enabled_at').executeTakeFirstOrThrow();
    expect(stored.enabled_at).toBeNull();
    expect(await server.database.db.selectFrom('mfa_recovery_codes').selectAll().execute()).toHaveLength(0);
  });

  it('turns MFA on with the first code: ten recovery codes shown once and stored hashed, and an mfa-enabled event', async () => {
    const { recoveryCodes } = await enrolOwner();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const rows = await server.database.db.selectFrom('mfa_recovery_codes').selectAll().execute();
    expect(rows).toHaveLength(10);
    const storedText = JSON.stringify(rows);
    for (const code of recoveryCodes) {
      expect(storedText).not.toContain(code);
      expect(storedText).not.toContain(code.replaceAll('-', ''));
    }
    const events = await server.database.db.selectFrom('events').selectAll().where('type', '=', 'mfa-enabled').execute();
    expect(events).toHaveLength(1);
    const status = await server.request({ method: 'GET', url: '/api/v1/auth/mfa' });
    expect(status.json()).toMatchObject({ totpEnabled: true, enrolmentPending: false, recoveryCodesRemaining: 10 });

    const again = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('MFA_ALREADY_ENABLED');
  });

  it('asks for a code after the password, then answers the usual token pair for a current code', async () => {
    const { secret } = await enrolOwner();
    const first = await login();
    expect(first.statusCode).toBe(200);
    const challenge = first.json();
    expect(challenge).toEqual({
      mfaRequired: true,
      challengeToken: expect.stringMatching(/^mc_mfa_/),
      challengeExpiresAt: expect.any(String),
    });
    expect(challenge).not.toHaveProperty('accessToken');

    const finished = await verify({ challengeToken: challenge.challengeToken, code: await codeAt(secret) });
    expect(finished.statusCode).toBe(200);
    const session = finished.json();
    expect(session).toMatchObject({ tokenType: 'Bearer', role: 'owner', user: { email: ownerEmail } });
    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: session.accessToken });
    expect(me.statusCode).toBe(200);
    const audited = await server.database.db
      .selectFrom('audit_entries')
      .select(['action', 'summary'])
      .where('action', '=', 'auth.signed-in')
      .where('summary', '=', 'signed in with a second factor')
      .execute();
    expect(audited).toHaveLength(1);

    const replayedChallenge = await verify({ challengeToken: challenge.challengeToken, code: await codeAt(secret, 30) });
    expect(replayedChallenge.statusCode).toBe(401);
    expect(replayedChallenge.json().error.code).toBe('MFA_CHALLENGE_INVALID');
  });

  it('accepts a code of the previous 30-second step, refuses an older one, and refuses a code used once already', async () => {
    const { secret } = await enrolOwner();
    // Past the steps the enrolment's code burned, so only age decides below.
    server.clock.advance(60_000);
    const older = await verify({ challengeToken: (await login()).json().challengeToken, code: await codeAt(secret, -60) });
    expect(older.statusCode).toBe(400);
    expect(older.json().error.code).toBe('MFA_CODE_INVALID');

    const previousCode = await codeAt(secret, -30);
    const previous = await verify({ challengeToken: (await login()).json().challengeToken, code: previousCode });
    expect(previous.statusCode).toBe(200);

    const reused = await verify({ challengeToken: (await login()).json().challengeToken, code: previousCode });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('MFA_CODE_INVALID');
  });

  it('signs in once with each recovery code and records how many are left', async () => {
    const { recoveryCodes } = await enrolOwner();
    const [code] = recoveryCodes;
    const used = await verify({ challengeToken: (await login()).json().challengeToken, recoveryCode: code?.toUpperCase() });
    expect(used.statusCode).toBe(200);
    expect(used.json().accessToken).toEqual(expect.any(String));
    const again = await verify({ challengeToken: (await login()).json().challengeToken, recoveryCode: code });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('MFA_CODE_INVALID');

    const events = await server.request({ method: 'GET', url: '/api/v1/activities?type=mfa-recovery-code-used' });
    expect(events.json().data).toEqual([expect.objectContaining({ data: { userId: ownerId(), remaining: 9 } })]);
    const status = await server.request({ method: 'GET', url: '/api/v1/auth/mfa' });
    expect(status.json().recoveryCodesRemaining).toBe(9);
  });

  it('ends a challenge after five wrong codes and after five minutes with 401 MFA_CHALLENGE_INVALID', async () => {
    const { secret } = await enrolOwner();
    const { challengeToken } = (await login()).json();
    const right = await codeAt(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const refused = await verify({ challengeToken, code: wrong });
      expect(refused.json().error.code).toBe('MFA_CODE_INVALID');
    }
    const locked = await verify({ challengeToken, code: right });
    expect(locked.statusCode).toBe(401);
    expect(locked.json().error.code).toBe('MFA_CHALLENGE_INVALID');

    const late = (await login()).json();
    server.clock.advance(5 * 60_000 + 1_000);
    const expired = await verify({ challengeToken: late.challengeToken, code: await codeAt(secret) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('MFA_CHALLENGE_INVALID');

    const unknown = await verify({ challengeToken: 'mc_mfa_unknown', code: await codeAt(secret) });
    expect(unknown.statusCode).toBe(401);
    const both = await verify({ challengeToken: late.challengeToken, code: '123456', recoveryCode: 'abcde-abcde' });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('turns MFA off with a current code: the secret and codes are deleted and sign-in asks for the password only', async () => {
    const { secret } = await enrolOwner();
    const wrong = await server.request({
      method: 'DELETE',
      url: '/api/v1/auth/mfa/totp',
      payload: { recoveryCode: 'aaaaa-bbbbb-ccccc-ddddd' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('MFA_CODE_INVALID');

    const off = await server.request({ method: 'DELETE', url: '/api/v1/auth/mfa/totp', payload: { code: await codeAt(secret) } });
    expect(off.statusCode).toBe(204);
    expect(await server.database.db.selectFrom('mfa_totp_factors').selectAll().execute()).toHaveLength(0);
    expect(await server.database.db.selectFrom('mfa_recovery_codes').selectAll().execute()).toHaveLength(0);
    expect(await server.database.db.selectFrom('events').selectAll().where('type', '=', 'mfa-disabled').execute()).toHaveLength(1);
    const signedIn = await login();
    expect(signedIn.json().accessToken).toEqual(expect.any(String));

    const notOn = await server.request({ method: 'DELETE', url: '/api/v1/auth/mfa/totp', payload: { code: '123456' } });
    expect(notOn.statusCode).toBe(409);
    expect(notOn.json().error.code).toBe('MFA_NOT_ENABLED');
  });

  it('answers 403 FORBIDDEN when an API key or an agent tries to change MFA', async () => {
    const key = await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'script' } });
    const withKey = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp', token: key.json().secret });
    expect(withKey.statusCode).toBe(403);
    expect(withKey.json().error.code).toBe('FORBIDDEN');
    const { apiKey } = await server.createAgentWithKey();
    const asAgent = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp', token: apiKey });
    expect(asAgent.statusCode).toBe(403);
    expect(await server.database.db.selectFrom('mfa_totp_factors').selectAll().where('user_id', '=', ownerId()).execute()).toHaveLength(0);
  });
});

describeEachEngine('mfa and invitation links', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  it('answers 403 MFA_SIGN_IN_REQUIRED when a link is accepted with the password of an account that has MFA on', async () => {
    const member = await server.addMember({ email: 'mfa@example.com' });
    const begun = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp', token: member.token });
    const code = await generate({ secret: begun.json().secret, epoch: Math.floor(server.clock.now().getTime() / 1000) });
    const confirmed = await server.request({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      payload: { code },
      token: member.token,
    });
    expect(confirmed.statusCode).toBe(200);

    const otherWorkspace = await server.createOtherWorkspaceToken();
    const invited = await server.request({
      method: 'POST',
      url: '/api/v1/invitations',
      payload: { email: member.email, role: 'member' },
      token: otherWorkspace,
    });
    expect(invited.statusCode).toBe(201);
    const accepted = await server.request({
      method: 'POST',
      url: `/api/v1/invitation-links/${invited.json().token}/accept`,
      payload: { name: 'Mfa', password: member.password },
      token: null,
    });
    expect(accepted.statusCode).toBe(403);
    expect(accepted.json().error.code).toBe('MFA_SIGN_IN_REQUIRED');
    expect(accepted.json()).not.toHaveProperty('accessToken');
  });
});
