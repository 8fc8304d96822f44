import type { AuthProviders, SessionTokens, User } from '@mission-control/contracts';
import type { AuthService } from '../../auth/auth.service.js';
import { deriveSecretToken, generateSecretToken, hashSecretToken } from '../../auth/secrets.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { TargetPolicy } from '../integrations/outbound/guarded-http.js';
import type { InvitationService } from '../invitations/invitation.service.js';
import { checkIssuer, type OrganizationSsoService } from '../organizations/organization-sso.service.js';
import type { UserService } from '../users/user.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  completeOidcSignIn,
  deleteOldOidcSignIns,
  deleteUserIdentitiesOf,
  findOidcSignInByExchangeCode,
  findOidcSignInByState,
  findUserIdentity,
  insertOidcSignIn,
  insertUserIdentity,
  listUserIdentitiesOf,
  markOidcCallback,
  markOidcExchanged,
  touchUserIdentity,
} from './oidc.repository.js';
import { createOidcClient, type OidcClient, type OidcIdentityClaims, type OidcSettings } from './oidc-client.js';

export const oidcSignInLifetimeMs = 10 * 60 * 1000;
export const oidcExchangeLifetimeMs = 60 * 1000;
/** Exchange codes start like every other secret (`mc_…`), so the log redaction hides them too. */
const exchangeCodePrefix = 'mc_sso_';

export interface OidcServiceOptions {
  /** Left out when single sign-on is not set up. */
  oidc?: OidcSettings | undefined;
  /** The instance secret: each sign-in's PKCE verifier and nonce are derived from its state with it. */
  instanceSecret: Uint8Array;
  /** This server's callback, which organisations register at their own providers. */
  callbackUrl?: string | undefined;
  /** Which organisation issuers the server may call (checked again before each discovery). */
  issuerPolicy?: TargetPolicy | undefined;
}

export interface OidcServiceDependencies {
  users: Pick<UserService, 'findUserByEmail' | 'findUser' | 'createUser'>;
  workspaces: Pick<WorkspaceService, 'listMembershipsOf' | 'findGroupRoleWorkspace' | 'isMember' | 'addMemberInTransaction'>;
  invitations: Pick<InvitationService, 'acceptOpenInvitationsOf'>;
  auth: Pick<AuthService, 'startSession'>;
  /** Organisations' own providers, through a getter: built after this service. */
  organizationSso?: () => Pick<OrganizationSsoService, 'listProviders' | 'findSettings'>;
}

const roleRank = { viewer: 0, member: 1, admin: 2 } as const;

export type OidcService = ReturnType<typeof createOidcService>;

/** What failed, in words: openid-client wraps oauth4webapi's error, whose message names the claim (nonce, exp, aud…). */
function signInFailed(error: unknown): AppError {
  const outer = error instanceof Error ? error.message : 'unknown';
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  const reason = inner ? `${outer}: ${inner}` : outer;
  return new AppError(
    'OIDC_SIGN_IN_FAILED',
    `The identity provider's answer did not check out (${reason}). Start again from the sign-in page.`,
  );
}

export function createOidcService(context: ServiceContext, options: OidcServiceOptions, dependencies: OidcServiceDependencies) {
  const { db, clock } = context;
  const client = options.oidc ? createOidcClient(options.oidc) : undefined;

  const organizationClients = new Map<string, { updatedAt: string; client: OidcClient }>();

  function requireClient() {
    if (!client) {
      throw new AppError('OIDC_NOT_CONFIGURED', 'Single sign-on is not set up on this server. Sign in with your email and password.');
    }
    return client;
  }

  /**
   * The provider a sign-in uses: the server's, or an organisation's own (built once per version of
   * its settings, so its discovered metadata and keys are cached like the server's).
   */
  async function providerFor(
    reference: { slug: string } | { organizationId: string } | null,
  ): Promise<{ client: OidcClient; organizationId: string | null }> {
    if (!reference) return { client: requireClient(), organizationId: null };
    const settings = await dependencies.organizationSso?.().findSettings(reference);
    if (!settings) {
      throw new AppError(
        'OIDC_NOT_CONFIGURED',
        'This organisation has no single sign-on of its own. Sign in with your email and password, or the server’s provider.',
      );
    }
    const cached = organizationClients.get(settings.organizationId);
    if (cached && cached.updatedAt === settings.updatedAt) return { client: cached.client, organizationId: settings.organizationId };
    // Checked again: the issuer's name may resolve elsewhere now than when it was saved.
    await checkIssuer(settings.issuer, options.issuerPolicy ?? { allowPrivateTargets: false });
    const callbackUrl = options.callbackUrl ?? options.oidc?.redirectUri;
    if (!callbackUrl)
      throw new AppError(
        'OIDC_NOT_CONFIGURED',
        'This server does not know its own address (MISSION_PUBLIC_URL), so single sign-on cannot call back.',
      );
    const organizationClient = createOidcClient({
      issuer: settings.issuer,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      redirectUri: callbackUrl,
      allowedEmailDomains: settings.allowedEmailDomains,
      providerName: settings.providerName,
      // An http:// issuer could only be saved where the operator allows private targets.
      ...(settings.issuer.startsWith('http://') ? { allowInsecureRequests: true } : {}),
    });
    organizationClients.set(settings.organizationId, { updatedAt: settings.updatedAt, client: organizationClient });
    return { client: organizationClient, organizationId: settings.organizationId };
  }

  /** The PKCE verifier and nonce of a sign-in, derived from its state: nothing secret is stored. */
  function checksOf(state: string) {
    return {
      state,
      codeVerifier: deriveSecretToken('', options.instanceSecret, 'mission-control oidc pkce', state),
      nonce: deriveSecretToken('', options.instanceSecret, 'mission-control oidc nonce', state),
    };
  }

  function assertAllowedDomain(oidc: OidcClient, email: string): void {
    const domains = oidc.settings.allowedEmailDomains;
    const domain = email.split('@').pop() ?? '';
    if (domains.length > 0 && !domains.includes(domain)) {
      throw new AppError(
        'OIDC_DOMAIN_NOT_ALLOWED',
        `Accounts of ${domain} may not sign in here. Sign in with an account of an allowed domain.`,
      );
    }
  }

  /** The highest role the person's groups give in the group workspace, and that workspace; undefined when none do. */
  async function groupMembershipOf(oidc: OidcClient, claims: OidcIdentityClaims, executor: DatabaseExecutor = db) {
    const mapping = oidc.settings.groupRoles;
    if (!mapping || mapping.roles.size === 0) return undefined;
    const roles = claims.groups.flatMap((group) => {
      const role = mapping.roles.get(group);
      return role ? [role] : [];
    });
    if (roles.length === 0) return undefined;
    const role = roles.reduce((highest, candidate) => (roleRank[candidate] > roleRank[highest] ? candidate : highest));
    const workspace = await dependencies.workspaces.findGroupRoleWorkspace(mapping.workspaceId, executor);
    return workspace ? { workspaceId: workspace.id, role } : undefined;
  }

  /**
   * Joins the person to the group workspace when their groups give a role there and they are not
   * a member yet. A member's role is never changed by their groups: an owner may have changed it.
   */
  async function joinByGroups(oidc: OidcClient, executor: DatabaseExecutor, user: User, claims: OidcIdentityClaims): Promise<void> {
    const membership = await groupMembershipOf(oidc, claims, executor);
    if (!membership || (await dependencies.workspaces.isMember(membership.workspaceId, user.id, executor))) return;
    await dependencies.workspaces.addMemberInTransaction(executor, {
      workspaceId: membership.workspaceId,
      user,
      role: membership.role,
      actor: { kind: 'user', id: user.id },
    });
  }

  function linkIdentity(executor: DatabaseExecutor, userId: string, claims: OidcIdentityClaims & { email: string }, now: string) {
    return insertUserIdentity(executor, {
      id: createId(),
      user_id: userId,
      issuer: claims.issuer,
      subject: claims.subject,
      email: claims.email,
      created_at: now,
      last_signed_in_at: now,
    });
  }

  /**
   * The first sign-in of someone without an account: it is created (with no password) when an
   * open invitation for the verified email or a mapped group gives it a workspace, and the
   * invitations are accepted. Without either nothing is created.
   */
  async function createAccountOf(oidc: OidcClient, claims: OidcIdentityClaims & { email: string }, now: string): Promise<string> {
    return db.transaction().execute(async (trx) => {
      const name = claims.name?.trim() || claims.email.split('@')[0] || claims.email;
      const user = await dependencies.users.createUser(trx, { email: claims.email, name, password: null });
      await linkIdentity(trx, user.id, claims, now);
      const invited = await dependencies.invitations.acceptOpenInvitationsOf(trx, user);
      await joinByGroups(oidc, trx, user, claims);
      if (invited.length === 0 && !(await groupMembershipOf(oidc, claims, trx))) {
        // Thrown inside the transaction, so the account and identity above are not kept.
        throw new AppError(
          'OIDC_ACCOUNT_NOT_FOUND',
          `No account has the email ${claims.email}, and no invitation or group gives it a workspace here. Ask a workspace owner to invite that email, then sign in with single sign-on again.`,
        );
      }
      return user.id;
    });
  }

  /** The account of a provider identity: linked before by its subject, now by a verified email, or created. */
  async function findAccountOf(oidc: OidcClient, claims: OidcIdentityClaims): Promise<string> {
    const now = clock.now().toISOString();
    const email = claims.email;
    if (!email) throw new AppError('OIDC_EMAIL_UNVERIFIED', 'The identity provider did not share an email. Allow the email scope there.');
    assertAllowedDomain(oidc, email);
    const withEmail = { ...claims, email };
    const linked = await findUserIdentity(db, claims.issuer, claims.subject);
    if (linked) {
      await touchUserIdentity(db, linked.id, email, now);
      // Only a group mapping can change anything for someone signed in before.
      if (!oidc.settings.groupRoles?.roles.size) return linked.user_id;
      const user = await dependencies.users.findUser(linked.user_id);
      if (user) await db.transaction().execute((trx) => joinByGroups(oidc, trx, user, claims));
      return linked.user_id;
    }
    // An unverified email never links or creates: anyone could claim someone else's address at some providers.
    if (!claims.emailVerified) {
      throw new AppError(
        'OIDC_EMAIL_UNVERIFIED',
        'The identity provider has not verified this email. Verify it there, then sign in again.',
      );
    }
    const user = await dependencies.users.findUserByEmail(email);
    if (!user) return createAccountOf(oidc, withEmail, now);
    await db.transaction().execute(async (trx) => {
      await linkIdentity(trx, user.id, withEmail, now);
      await joinByGroups(oidc, trx, user, claims);
    });
    return user.id;
  }

  return {
    /** The identities linked to a person (issuer, subject, last email), for their data export. */
    async listIdentitiesOf(userId: string) {
      const rows = await listUserIdentitiesOf(db, userId);
      return rows.map((row) => ({
        issuer: row.issuer,
        subject: row.subject,
        email: row.email,
        createdAt: row.created_at,
        lastSignedInAt: row.last_signed_in_at,
      }));
    },

    /** Erasure: unlinks every identity of the person, in the caller's transaction. */
    async deleteIdentitiesOf(executor: DatabaseExecutor, userId: string): Promise<void> {
      await deleteUserIdentitiesOf(executor, userId);
    },

    /** The server's provider, then each organisation's own, as the sign-in page offers them. */
    async listProviders(): Promise<AuthProviders> {
      const organizations = (await dependencies.organizationSso?.().listProviders()) ?? [];
      return {
        password: true,
        oidc: [
          ...(client ? [{ id: 'oidc', name: client.settings.providerName, startUrl: '/api/v1/auth/oidc/start' }] : []),
          ...organizations.map((organization) => ({
            id: `organization:${organization.slug}`,
            name: organization.providerName,
            startUrl: `/api/v1/auth/oidc/start?organization=${encodeURIComponent(organization.slug)}`,
          })),
        ],
      };
    },

    /** Begins a sign-in: stores its state (hashed) and answers the provider's URL to send the browser to. */
    async startSignIn(redirectPath: string | undefined, organizationSlug?: string): Promise<string> {
      const { client: oidc, organizationId } = await providerFor(organizationSlug ? { slug: organizationSlug } : null);
      const now = clock.now();
      const state = generateSecretToken('');
      await deleteOldOidcSignIns(db, new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString());
      await insertOidcSignIn(db, {
        id: createId(),
        state_hash: hashSecretToken(state),
        redirect_path: redirectPath ?? '/',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + oidcSignInLifetimeMs).toISOString(),
        callback_at: null,
        user_id: null,
        workspace_id: null,
        exchange_code_hash: null,
        exchange_expires_at: null,
        exchanged_at: null,
        organization_id: organizationId,
      });
      return oidc.buildAuthorizationUrl(checksOf(state));
    },

    /**
     * Finishes a sign-in from the provider's redirect (`search` is the callback's query string)
     * and answers where to send the browser: the sign-in page with a one-time code.
     */
    async finishSignIn(
      query: { state?: string | undefined; error?: string | undefined; error_description?: string | undefined },
      search: string,
    ): Promise<string> {
      // Nothing to finish on a server without any provider: the same answer as starting one.
      if (!client && ((await dependencies.organizationSso?.().listProviders()) ?? []).length === 0) requireClient();
      const now = clock.now();
      const invalidState = () =>
        new AppError('OIDC_STATE_INVALID', 'This sign-in is unknown, expired or finished already. Start again from the sign-in page.');
      if (!query.state) throw invalidState();
      const signIn = await findOidcSignInByState(db, hashSecretToken(query.state));
      if (!signIn || signIn.expires_at <= now.toISOString() || signIn.callback_at !== null) throw invalidState();
      if (!(await markOidcCallback(db, signIn.id, now.toISOString()))) throw invalidState();
      const { client: oidc } = await providerFor(signIn.organization_id ? { organizationId: signIn.organization_id } : null);
      if (query.error) {
        throw new AppError(
          'OIDC_SIGN_IN_FAILED',
          `The identity provider refused the sign-in (${query.error_description ?? query.error}). Start again.`,
        );
      }
      let claims: OidcIdentityClaims;
      try {
        claims = await oidc.finishSignIn(new URL(`${oidc.settings.redirectUri}${search}`), checksOf(query.state), now);
      } catch (error) {
        throw signInFailed(error);
      }
      const userId = await findAccountOf(oidc, claims);
      const memberships = await dependencies.workspaces.listMembershipsOf(userId);
      // Through an organisation's provider, the person lands in one of its workspaces when they have one.
      const membership =
        memberships.find((candidate) => signIn.organization_id !== null && candidate.workspace.organizationId === signIn.organization_id) ??
        memberships[0];
      if (!membership) {
        throw new AppError(
          'WORKSPACE_NOT_FOUND',
          'Your account belongs to no workspace. Ask a workspace owner for an invitation link and accept it.',
        );
      }
      const code = generateSecretToken(exchangeCodePrefix);
      await completeOidcSignIn(db, signIn.id, {
        user_id: userId,
        workspace_id: membership.workspace.id,
        exchange_code_hash: hashSecretToken(code),
        exchange_expires_at: new Date(now.getTime() + oidcExchangeLifetimeMs).toISOString(),
      });
      const parameters = new URLSearchParams({ oidcCode: code, next: signIn.redirect_path });
      return `/login?${parameters.toString()}`;
    },

    /** Trades the one-time code of a finished sign-in for a session. */
    async exchangeCode(code: string): Promise<SessionTokens> {
      const now = clock.now();
      const signIn = await findOidcSignInByExchangeCode(db, hashSecretToken(code));
      const invalid = () =>
        new AppError('OIDC_CODE_INVALID', 'This sign-in code is unknown, expired or used. Start again from the sign-in page.');
      if (!signIn?.user_id || !signIn.workspace_id || !signIn.exchange_expires_at || signIn.exchange_expires_at <= now.toISOString()) {
        throw invalid();
      }
      if (!(await markOidcExchanged(db, signIn.id, now.toISOString()))) throw invalid();
      const { user_id: userId, workspace_id: workspaceId } = signIn;
      const membership = (await dependencies.workspaces.listMembershipsOf(userId)).find(
        (candidate) => candidate.workspace.id === workspaceId,
      );
      if (!membership) throw new AppError('UNAUTHENTICATED', 'You are no longer a member of this workspace. Sign in again.');
      return dependencies.auth.startSession({ userId, workspaceId, role: membership.role });
    },
  };
}
