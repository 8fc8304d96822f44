import { type OrganizationLimits, type OrganizationRole, organizationLimitsSchema } from '@mission-control/contracts';
import { parseJsonColumn } from '../../db/json-column.js';
import type { OrganizationRow } from './organization.repository.js';

export type LimitName = keyof OrganizationLimits;

export const roleRank: Record<OrganizationRole, number> = { owner: 3, admin: 2, member: 1 };
const storedLimitsSchema = organizationLimitsSchema.partial();
const noLimits: OrganizationLimits = {
  maxAgents: null,
  maxWorkspaces: null,
  monthlyTokenLimit: null,
  monthlyCostLimitMicroDollars: null,
  requestsPerMinute: null,
};
// Limits are read on every request of every caller; a change reaches every instance within this.
export const limitCacheMs = 5_000;

/** The limits an organisation row stores: a limit never set is null. */
export function readOrganizationLimits(row: Pick<OrganizationRow, 'limits'>): OrganizationLimits {
  return { ...noLimits, ...parseJsonColumn(storedLimitsSchema, row.limits, 'organizations.limits') };
}

/** A slug made from a name: lowercase letters, digits and dashes. */
export function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'organization'
  );
}

export const limitLabels: Record<LimitName, string> = {
  maxAgents: 'agents',
  maxWorkspaces: 'workspaces',
  monthlyTokenLimit: 'model tokens this month',
  monthlyCostLimitMicroDollars: 'model cost this month',
  requestsPerMinute: 'requests a minute',
};

/** How a changed field reads in a summary. */
export function describeField(field: 'name' | 'limits' | 'passwordSignInDisabled' | 'mfaRequired'): string {
  return { name: 'name', limits: 'limits', passwordSignInDisabled: 'password sign-in', mfaRequired: 'required second factor' }[field];
}
