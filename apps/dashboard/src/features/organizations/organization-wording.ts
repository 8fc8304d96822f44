import type { Organization, OrganizationLimits, OrganizationRole, TeamWorkspaceRole } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { describeError } from '../../lib/describe-error';

/** "Owner", "Admin", "Member": an organisation role as a picker or a card shows it. */
export function organizationRoleLabel(role: OrganizationRole): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

/** What each organisation role may do, in a line. */
export const organizationRoleExplanations: Record<OrganizationRole, string> = {
  owner: 'Changes the organisation’s name, limits and sign-in rules, and everyone’s organisation role.',
  admin: 'Creates teams and decides who is in them and which workspaces they reach.',
  member: 'Reads the organisation, its limits and its teams.',
};

/** "Admin", "Member", "Viewer": the role a team holds on a workspace. */
export function teamRoleLabel(role: TeamWorkspaceRole): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

export const teamRoleExplanations: Record<TeamWorkspaceRole, string> = {
  admin: 'people, agents, keys and integrations',
  member: 'the work itself: tasks, messages, documents',
  viewer: 'reads everything, changes nothing',
};

/** "12,400": whole numbers with the person's separators. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString();
}

/** "$1,234.50": dollars from millionths of a dollar, to the cent (a fraction of a cent shows as more digits). */
export function formatDollars(microDollars: number): string {
  const dollars = microDollars / 1_000_000;
  const digits = dollars !== 0 && Math.abs(dollars) < 0.01 ? 4 : 2;
  return dollars.toLocaleString(undefined, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** "December 2026": the month (UTC) the usage counts are for, from "2026-12". */
export function periodLabel(period: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) return period;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return date.toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export type LimitKey = keyof OrganizationLimits;

/** Each limit: what a person calls it, how its numbers read, and what it used now (requests a minute have no count). */
export const limitFields: {
  key: LimitKey;
  label: string;
  explanation: string;
  /** The most the server takes (in millionths of a dollar for money). */
  max: number;
  /** Dollars: the field takes dollars, the server millionths of a dollar. */
  money?: true;
  used?: (usage: Organization['usage']) => number;
}[] = [
  {
    key: 'maxAgents',
    label: 'Agents',
    explanation: 'All its workspaces together; at the limit, creating another is refused.',
    max: 100_000,
    used: (usage) => usage.agents,
  },
  {
    key: 'maxWorkspaces',
    label: 'Workspaces',
    explanation: 'At the limit, creating or importing another is refused.',
    max: 10_000,
    used: (usage) => usage.workspaces,
  },
  {
    key: 'monthlyTokenLimit',
    label: 'Model tokens this month',
    explanation: 'Built-in agents together; past it their turns stop until the next month (UTC).',
    max: 1e15,
    used: (usage) => usage.monthTokens,
  },
  {
    key: 'monthlyCostLimitMicroDollars',
    label: 'Model cost this month',
    explanation: 'In dollars, built-in agents together; past it they stop until the next month (UTC).',
    max: 1e15,
    money: true,
    used: (usage) => usage.monthCostMicroDollars,
  },
  {
    key: 'requestsPerMinute',
    label: 'API requests a minute',
    explanation: 'Its people and agents together; past it requests are refused for a moment.',
    max: 1_000_000,
  },
];

/** "3 of 10", "12,400 of 1,000,000", "$1.20 of $50.00", "3 · No limit", "600" for a limit without a count. */
export function describeLimit(field: (typeof limitFields)[number], organization: Organization): string {
  const limit = organization.limits[field.key];
  const format = field.money ? formatDollars : formatCount;
  const used = field.used?.(organization.usage);
  if (used === undefined) return limit === null ? 'No limit' : format(limit);
  return limit === null ? `${format(used)} · No limit` : `${format(used)} of ${format(limit)}`;
}

/** How much of a limit is used, 0 to 100; null without a limit or a count. */
export function percentUsed(field: (typeof limitFields)[number], organization: Organization): number | null {
  const limit = organization.limits[field.key];
  const used = field.used?.(organization.usage);
  if (limit === null || used === undefined) return null;
  if (limit === 0) return used > 0 ? 100 : 0;
  return Math.min(100, Math.round((used / limit) * 100));
}

/** Why changing the organisation failed, in plain words, when it is not about one field. */
export function describeOrganizationFailure(failure: unknown): string {
  if (isMissionControlError(failure)) {
    switch (failure.code) {
      case 'FORBIDDEN':
        return 'Only owners of the organisation can change it.';
      case 'ORGANIZATION_NOT_FOUND':
        return 'This organisation is gone, or you are no longer in it. Reload the page.';
      case 'SSO_NOT_CONFIGURED':
        return 'Single sign-on is not set up, for the organisation or on this server, so turning password sign-in off would lock everyone out. Set it up first.';
      default:
        break;
    }
  }
  return describeError(failure);
}

/** Why changing someone's organisation role failed. */
export function describeMemberRoleFailure(failure: unknown, name: string): string {
  if (isMissionControlError(failure)) {
    switch (failure.code) {
      case 'LAST_OWNER':
        return 'An organisation needs at least one owner: make someone else owner first.';
      case 'FORBIDDEN':
        return 'Only owners of the organisation can change organisation roles.';
      case 'USER_NOT_FOUND':
        return `${name} is no longer in the organisation.`;
      default:
        break;
    }
  }
  return describeOrganizationFailure(failure);
}

/** Why a change to a team failed: `about.team` names the team, `about.subject` the person, agent or workspace the change was about. */
export function describeTeamFailure(failure: unknown, about: { team: string; subject?: string }): string {
  if (isMissionControlError(failure)) {
    const subject = about.subject ?? 'They';
    switch (failure.code) {
      case 'FORBIDDEN':
        return 'Only owners and admins of the organisation can change teams.';
      case 'TEAM_NOT_FOUND':
        return `The team ${about.team} was deleted meanwhile, perhaps by someone else.`;
      case 'TEAM_NAME_TAKEN':
        return `Another team is already called “${about.team}”: pick another name.`;
      case 'USER_NOT_FOUND':
        return `${subject} is no longer in the organisation.`;
      case 'AGENT_NOT_FOUND':
        return `${subject} was deleted meanwhile, or belongs to another organisation.`;
      case 'TEAM_MEMBER_NOT_FOUND':
        return `${subject} is no longer in ${about.team}.`;
      case 'WORKSPACE_NOT_FOUND':
        return `${subject} is not a workspace of this organisation any more.`;
      case 'ROLE_NOT_FOUND':
        return 'That role no longer exists in the workspace: pick another one.';
      default:
        break;
    }
  }
  return describeOrganizationFailure(failure);
}
