import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const provider = {
  MISSION_OIDC_ISSUER: 'https://id.example.com',
  MISSION_OIDC_CLIENT_ID: 'mission-control',
  MISSION_OIDC_CLIENT_SECRET: 'a-client-secret',
};

describe('single sign-on settings in the configuration', () => {
  it('maps groups to roles, reads the claim, the workspace and the extra scopes', () => {
    const config = loadConfig({
      ...provider,
      MISSION_OIDC_GROUP_ROLES: 'engineering=member, platform admins=admin,auditors=viewer',
      MISSION_OIDC_GROUPS_CLAIM: 'roles',
      MISSION_OIDC_GROUP_WORKSPACE: 'ws_1',
      MISSION_OIDC_EXTRA_SCOPES: 'groups  offline_access',
    });
    expect(config.oidc?.groupRoles).toEqual({
      roles: new Map([
        ['engineering', 'member'],
        ['platform admins', 'admin'],
        ['auditors', 'viewer'],
      ]),
      claim: 'roles',
      workspaceId: 'ws_1',
    });
    expect(config.oidc?.extraScopes).toEqual(['groups', 'offline_access']);
  });

  it('maps no group by default, and asks for the groups claim', () => {
    const config = loadConfig(provider);
    expect(config.oidc?.groupRoles).toEqual({ roles: new Map(), claim: 'groups', workspaceId: undefined });
    expect(config.oidc?.extraScopes).toEqual([]);
  });

  it('refuses a mapping to owner, or a pair without a role, naming the variable', () => {
    expect(() => loadConfig({ ...provider, MISSION_OIDC_GROUP_ROLES: 'founders=owner' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...provider, MISSION_OIDC_GROUP_ROLES: 'founders=owner' })).toThrow('MISSION_OIDC_GROUP_ROLES');
    expect(() => loadConfig({ ...provider, MISSION_OIDC_GROUP_ROLES: 'engineering' })).toThrow('"engineering" is not');
  });
});
