import type { ConfigureOrganizationSsoInput, Organization, OrganizationSso } from '@mission-control/contracts';
import { z } from 'zod';
import type { Principal } from '../../auth/principal.js';
import { createSecretBox } from '../../core/secret-box.js';
import type { ServiceContext } from '../../core/service-context.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { AppError } from '../../http/app-error.js';
import { resolveTarget, type TargetPolicy, TargetRefused } from '../integrations/outbound/guarded-http.js';
import {
  deleteOrganizationSso,
  findOrganizationSsoBy,
  type findOrganizationSsoRow,
  listOrganizationSsoRows,
  upsertOrganizationSso,
} from './organization.repository.js';
import type { OrganizationService } from './organization.service.js';
import { readOrganizationLimits } from './organization-limits.js';

const domainListSchema = z.array(z.string());

/** An organisation's provider with its secret opened, for the sign-in flow only. */
export interface OrganizationSsoSettings {
  organizationId: string;
  slug: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  providerName: string;
  allowedEmailDomains: string[];
  /** Changes when the settings do, so a cached client is rebuilt. */
  updatedAt: string;
}

export interface OrganizationSsoServiceDependencies {
  organizations: Pick<OrganizationService, 'requireOrganizationRole' | 'getOrganization' | 'announceInOrganization'>;
  instanceSecret: Uint8Array;
  /** Whether the server has a provider of its own (MISSION_OIDC_*). */
  instanceSsoConfigured: boolean;
  /** Which issuers the server may call: private addresses and http:// only where the operator allows them. */
  issuerPolicy: TargetPolicy;
}

/** Refuses an issuer the server must not call (a private address, http:// without the operator's leave) with 400. */
export async function checkIssuer(issuer: string, policy: TargetPolicy): Promise<void> {
  const refuse = (reason: string) =>
    new AppError('VALIDATION_FAILED', `The issuer cannot be used: ${reason}. Give the provider's public https:// URL.`, {
      issues: [{ path: 'body.issuer', message: reason }],
    });
  if (issuer.startsWith('http://') && !policy.allowPrivateTargets) throw refuse('it is not https://');
  try {
    await resolveTarget(issuer, policy);
  } catch (error) {
    if (error instanceof TargetRefused) throw refuse(error.message);
    throw error;
  }
}

/** What an organisation row stores of its provider, as the API shows it (no secret). */
export function toOrganizationSso(row: NonNullable<Awaited<ReturnType<typeof findOrganizationSsoRow>>>): OrganizationSso {
  return {
    issuer: row.issuer,
    clientId: row.client_id,
    providerName: row.provider_name,
    allowedEmailDomains: parseJsonColumn(domainListSchema, row.allowed_email_domains, 'organization_sso.allowed_email_domains'),
    updatedAt: row.updated_at,
  };
}

/** Single sign-on per organisation: its owners set up their own OpenID Connect provider. */
export class OrganizationSsoService {
  private readonly secrets;

  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: OrganizationSsoServiceDependencies,
  ) {
    this.secrets = createSecretBox(dependencies.instanceSecret, 'organization-sso-client-secret');
  }

  async configure(principal: Principal, organizationId: string, input: ConfigureOrganizationSsoInput): Promise<Organization> {
    await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'owner');
    await checkIssuer(input.issuer, this.dependencies.issuerPolicy);
    await this.context.db.transaction().execute(async (trx) => {
      const { row } = await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'owner', trx);
      await upsertOrganizationSso(trx, {
        organization_id: organizationId,
        issuer: input.issuer,
        client_id: input.clientId,
        client_secret_sealed: this.secrets.seal(input.clientSecret),
        provider_name: input.providerName,
        allowed_email_domains: JSON.stringify(input.allowedEmailDomains),
        updated_at: this.context.clock.now().toISOString(),
      });
      await this.announce(
        trx,
        principal,
        row,
        `single sign-on of ${row.name} set up with ${input.providerName}`,
        'organization.sso-configured',
      );
    });
    return this.dependencies.organizations.getOrganization(principal, organizationId);
  }

  async remove(principal: Principal, organizationId: string): Promise<Organization> {
    await this.context.db.transaction().execute(async (trx) => {
      const { row } = await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'owner', trx);
      if (row.password_sign_in_disabled === 1 && !this.dependencies.instanceSsoConfigured) {
        throw new AppError(
          'SSO_NOT_CONFIGURED',
          `${row.name} signs in with single sign-on only, and this server has no provider of its own: turn password sign-in back on first.`,
        );
      }
      if (await deleteOrganizationSso(trx, organizationId)) {
        await this.announce(trx, principal, row, `single sign-on of ${row.name} removed`, 'organization.sso-removed');
      }
    });
    return this.dependencies.organizations.getOrganization(principal, organizationId);
  }

  private async announce(
    executor: Parameters<OrganizationService['announceInOrganization']>[0],
    principal: Principal,
    row: Awaited<ReturnType<OrganizationService['requireOrganizationRole']>>['row'],
    summary: string,
    action: 'organization.sso-configured' | 'organization.sso-removed',
  ) {
    await this.dependencies.organizations.announceInOrganization(executor, row.id, principal, {
      type: 'organization-updated',
      data: {
        organizationId: row.id,
        name: row.name,
        fields: ['sso'],
        limits: readOrganizationLimits(row),
        passwordSignInDisabled: row.password_sign_in_disabled === 1,
        mfaRequired: row.mfa_required === 1,
      },
      summary,
      action,
      targetKind: 'organization',
      targetId: row.id,
    });
  }

  /** The providers of every organisation that has one, for the sign-in page. */
  async listProviders(): Promise<{ slug: string; providerName: string; organizationName: string }[]> {
    const rows = await listOrganizationSsoRows(this.context.db);
    return rows.map((row) => ({ slug: row.slug, providerName: row.provider_name, organizationName: row.name }));
  }

  /** An organisation's provider with its secret opened, by slug or id; undefined when it has none. */
  async findSettings(reference: { slug: string } | { organizationId: string }): Promise<OrganizationSsoSettings | undefined> {
    const row = await findOrganizationSsoBy(this.context.db, reference);
    if (!row) return undefined;
    const clientSecret = this.secrets.open(row.client_secret_sealed);
    if (clientSecret === null) {
      throw new AppError(
        'OIDC_NOT_CONFIGURED',
        `The single sign-on of ${row.name} cannot be used on this server (its secret was sealed under another instance secret). An owner sets it up again.`,
      );
    }
    return { organizationId: row.organization_id, slug: row.slug, ...toOrganizationSso(row), clientSecret };
  }
}
