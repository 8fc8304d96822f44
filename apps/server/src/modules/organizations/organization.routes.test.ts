import { generate } from 'otplib';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../../test/test-server.js';

describeEachEngine('organizations', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine, {
      // Configured, never contacted: turning password sign-in off only needs single sign-on to exist.
      oidc: {
        issuer: 'http://127.0.0.1:9/',
        clientId: 'mission',
        clientSecret: 'secret',
        redirectUri: 'http://127.0.0.1/api/v1/auth/oidc/callback',
        allowedEmailDomains: [],
        providerName: 'Test',
        allowInsecureRequests: true,
      },
    });
  });
  afterEach(async () => {
    await server.close();
  });

  const defaultOrganization = async (token?: string) => {
    const listed = await server.request({ method: 'GET', url: '/api/v1/organizations', ...(token ? { token } : {}) });
    expect(listed.statusCode).toBe(200);
    return listed.json().data[0];
  };
  const patch = (id: string, payload: Record<string, unknown>, token?: string) =>
    server.request({ method: 'PATCH', url: `/api/v1/organizations/${id}`, payload, ...(token ? { token } : {}) });

  it('puts the first workspace in a default organisation, creates others, and keeps them apart', async () => {
    const organization = await defaultOrganization();
    expect(organization).toMatchObject({
      name: 'Default organization',
      slug: 'default',
      role: 'owner',
      limits: {
        maxAgents: null,
        maxWorkspaces: null,
        monthlyTokenLimit: null,
        monthlyCostLimitMicroDollars: null,
        requestsPerMinute: null,
      },
      usage: { agents: 0, workspaces: 1, monthTokens: 0, monthCostMicroDollars: 0 },
      passwordSignInDisabled: false,
      mfaRequired: false,
    });
    const workspace = (await server.request({ method: 'GET', url: '/api/v1/workspace' })).json();
    expect(workspace.organizationId).toBe(organization.id);

    const created = await server.request({ method: 'POST', url: '/api/v1/organizations', payload: { name: 'Acme Robotics' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Acme Robotics', slug: 'acme-robotics', role: 'owner', usage: { workspaces: 0 } });
    const acme = created.json().id;
    const inAcme = await server.request({
      method: 'POST',
      url: '/api/v1/workspaces',
      payload: { name: 'Acme ops', taskKeyPrefix: 'OPS', organizationId: acme },
    });
    expect(inAcme.statusCode).toBe(201);
    expect(inAcme.json().organizationId).toBe(acme);
    const stored = await server.database.db
      .selectFrom('workspaces')
      .select(['id', 'organization_id'])
      .where('id', '=', inAcme.json().id)
      .execute();
    expect(stored).toEqual([{ id: inAcme.json().id, organization_id: acme }]);

    // A member of the default organisation sees it as a member, and nothing of Acme.
    const member = await server.addMember({ email: 'mia@example.com' });
    expect(await defaultOrganization(member.token)).toMatchObject({ id: organization.id, role: 'member' });
    const hidden = await server.request({ method: 'GET', url: `/api/v1/organizations/${acme}`, token: member.token });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error.code).toBe('ORGANIZATION_NOT_FOUND');
    const refused = await patch(organization.id, { name: 'Mine now' }, member.token);
    expect(refused.statusCode).toBe(403);
    const intoAcme = await server.request({
      method: 'POST',
      url: '/api/v1/workspaces',
      payload: { name: 'Sneaky', organizationId: acme },
      token: member.token,
    });
    expect(intoAcme.statusCode).toBe(404);

    const members = (await server.request({ method: 'GET', url: `/api/v1/organizations/${organization.id}/members` })).json().data;
    expect(members.map((entry: { email: string; role: string }) => [entry.email, entry.role])).toEqual([
      ['mia@example.com', 'member'],
      [ownerEmail, 'owner'],
    ]);
    const taken = await server.request({ method: 'POST', url: '/api/v1/organizations', payload: { name: 'Again', slug: 'acme-robotics' } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('ORGANIZATION_SLUG_TAKEN');
  });

  it('enforces the agent and workspace limits with 403 and stores nothing past them', async () => {
    const organization = await defaultOrganization();
    const badLimit = await patch(organization.id, { limits: { maxAgents: -1 } });
    expect(badLimit.statusCode).toBe(400);
    expect((await defaultOrganization()).limits.maxAgents).toBeNull();

    const limited = await patch(organization.id, { limits: { maxAgents: 1, maxWorkspaces: 1 } });
    expect(limited.statusCode).toBe(200);
    expect(limited.json().limits).toMatchObject({ maxAgents: 1, maxWorkspaces: 1, requestsPerMinute: null });
    await server.createAgentWithKey();
    const secondAgent = await server.request({ method: 'POST', url: '/api/v1/agents', payload: { name: 'second', role: 'specialist' } });
    expect(secondAgent.statusCode).toBe(403);
    expect(secondAgent.json().error).toMatchObject({
      code: 'ORGANIZATION_LIMIT_REACHED',
      details: { limit: 'maxAgents', value: 1, current: 1 },
    });
    const secondWorkspace = await server.request({ method: 'POST', url: '/api/v1/workspaces', payload: { name: 'Second' } });
    expect(secondWorkspace.statusCode).toBe(403);
    expect(secondWorkspace.json().error.details).toMatchObject({ limit: 'maxWorkspaces' });
    const agents = await server.database.db.selectFrom('agents').select('id').execute();
    expect(agents).toHaveLength(1);
    expect(await server.database.db.selectFrom('workspaces').select('id').execute()).toHaveLength(1);

    // Removing a limit (null) lets the next one through.
    expect((await patch(organization.id, { limits: { maxAgents: null } })).json().limits.maxAgents).toBeNull();
    const afterRaise = await server.request({ method: 'POST', url: '/api/v1/agents', payload: { name: 'second', role: 'specialist' } });
    expect(afterRaise.statusCode).toBe(201);
    const audit = (await server.request({ method: 'GET', url: '/api/v1/audit-log?action=organization.updated' })).json().data;
    expect(audit[0]).toMatchObject({
      targetKind: 'organization',
      before: { limits: { maxAgents: 1 } },
      after: { limits: { maxAgents: null } },
    });
  });

  it('counts every request of the organisation against its limit a minute, and stops built-in agents past its monthly limit', async () => {
    const organization = await defaultOrganization();
    const { agent, apiKey } = await server.createAgentWithKey();
    expect((await patch(organization.id, { limits: { requestsPerMinute: 3 } })).statusCode).toBe(200);
    // The limit is read anew within a few seconds on every instance; this one forgot it at once.
    const answers = [];
    for (const token of [server.ownerToken, apiKey, server.ownerToken]) {
      answers.push((await server.request({ method: 'GET', url: '/api/v1/tasks', token })).statusCode);
    }
    expect(answers).toEqual([200, 200, 200]);
    const over = await server.request({ method: 'GET', url: '/api/v1/tasks', token: apiKey });
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('RATE_LIMITED');
    expect(over.json().error.message).toContain('Default organization');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);

    server.services.organizations.forgetCachedOrganization(organization.id);
    await server.database.db
      .updateTable('organizations')
      .set({ limits: JSON.stringify({ monthlyTokenLimit: 0 }) })
      .execute();
    server.services.organizations.forgetCachedOrganization(organization.id);
    const stop = await server.services.agentUsage.findBudgetStop(server.workspaceId, agent.id);
    expect(stop).toContain('Default organization used its monthly model limit');
    await server.database.db
      .updateTable('organizations')
      .set({ limits: JSON.stringify({ monthlyTokenLimit: 1_000 }) })
      .execute();
    server.services.organizations.forgetCachedOrganization(organization.id);
    expect(await server.services.agentUsage.findBudgetStop(server.workspaceId, agent.id)).toBeNull();
  });

  it('turns password sign-in off for the organisation, and keeps API keys working', async () => {
    const organization = await defaultOrganization();
    const { apiKey } = await server.createAgentWithKey();
    const off = await patch(organization.id, { passwordSignInDisabled: true });
    expect(off.statusCode).toBe(200);
    expect(off.json().passwordSignInDisabled).toBe(true);
    const login = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: ownerEmail, password: ownerPassword },
      token: null,
    });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.code).toBe('PASSWORD_SIGN_IN_DISABLED');
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: apiKey })).statusCode).toBe(200);
    const events = (await server.request({ method: 'GET', url: '/api/v1/activities?limit=5' })).json().data;
    expect(events[0]).toMatchObject({ type: 'organization-updated', data: { fields: ['passwordSignInDisabled'] } });
  });

  it('makes members without a second factor enrol one before anything else, at once and at their next sign-in', async () => {
    const organization = await defaultOrganization();
    const member = await server.addMember({ email: 'ned@example.com' });
    expect((await patch(organization.id, { mfaRequired: true })).statusCode).toBe(200);

    const blocked = await server.request({ method: 'GET', url: '/api/v1/tasks', token: member.token });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await server.request({ method: 'GET', url: '/api/v1/auth/me', token: member.token })).statusCode).toBe(200);

    const begun = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp', token: member.token });
    expect(begun.statusCode).toBe(201);
    const code = await generate({ secret: begun.json().secret, epoch: Math.floor(server.clock.now().getTime() / 1000) });
    const confirmed = await server.request({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      payload: { code },
      token: member.token,
    });
    expect(confirmed.statusCode).toBe(200);
    server.clock.advance(2_000);
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: member.token })).statusCode).toBe(200);
    const disable = await server.request({
      method: 'DELETE',
      url: '/api/v1/auth/mfa/totp',
      payload: { recoveryCode: confirmed.json().recoveryCodes[0] },
      token: member.token,
    });
    expect(disable.statusCode).toBe(403);

    // The owner has no second factor either: a new sign-in may only enrol one.
    const login = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: ownerEmail, password: ownerPassword },
      token: null,
    });
    expect(login.statusCode).toBe(200);
    const fresh = login.json().accessToken;
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: fresh })).json().error.code).toBe('MFA_ENROLMENT_REQUIRED');
    const sessions = await server.database.db
      .selectFrom('sessions')
      .select(['user_id', 'mfa_enrolment_required'])
      .where('revoked_at', 'is', null)
      .execute();
    expect(sessions.filter((session) => session.user_id === member.id).map((session) => session.mfa_enrolment_required)).toEqual([0]);
    expect(sessions.filter((session) => session.user_id !== member.id).every((session) => session.mfa_enrolment_required === 1)).toBe(true);
  });
});
