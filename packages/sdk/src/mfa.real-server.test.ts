import { generate } from 'otplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isMissionControlError, MissionControl } from './index.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('the SDK with MFA against a real server', (engine) => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer(engine);
  });
  afterAll(async () => {
    await server.close();
  });

  const codeNow = (secret: string) => generate({ secret, epoch: Math.floor(server.clock.now().getTime() / 1000) });

  it('enrols an authenticator app, then signs in with a code: without one login throws MFA_REQUIRED with the challenge', async () => {
    const member = await server.addMember({ email: 'sdk-mfa@example.com' });
    const signedIn = new MissionControl({ baseUrl: server.url, accessToken: member.token });
    const { secret, otpauthUri } = await signedIn.auth.beginTotp();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const { recoveryCodes } = await signedIn.auth.confirmTotp(await codeNow(secret));
    expect(recoveryCodes).toHaveLength(10);
    expect(await signedIn.auth.mfaStatus()).toMatchObject({ totpEnabled: true, recoveryCodesRemaining: 10 });
    server.clock.advance(30_000);

    const client = new MissionControl({ baseUrl: server.url });
    const refused = await client.auth.login({ email: member.email, password: member.password }).catch((error: unknown) => error);
    expect(isMissionControlError(refused) && refused.code).toBe('MFA_REQUIRED');
    expect(isMissionControlError(refused) && refused.details).toMatchObject({ mfaRequired: true, challengeToken: expect.any(String) });

    const session = await client.auth.login({ email: member.email, password: member.password }, { code: await codeNow(secret) });
    expect(session.user.email).toBe(member.email);
    expect((await client.auth.me()).kind).toBe('user');

    const withRecovery = new MissionControl({ baseUrl: server.url });
    await withRecovery.auth.login({ email: member.email, password: member.password }, { recoveryCode: recoveryCodes[0] ?? '' });
    expect((await withRecovery.auth.mfaStatus()).recoveryCodesRemaining).toBe(9);
  });
});
