/** What the organisations module reads of the model usage the agent runtime records. */
export interface OrganizationUsageSource {
  /** Tokens and cost of the runs of these workspaces that started in [from, to). */
  sumUsageOfWorkspaces(
    workspaceIds: readonly string[],
    range: { from: string; to: string },
  ): Promise<{ tokens: number; costMicroDollars: number }>;
}

/** The month (UTC) a moment falls in, as limits and budgets count it: "2026-12". */
export function budgetPeriodOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** What an organisation's workspaces used this month (UTC). */
export async function readOrganizationUsage(
  source: OrganizationUsageSource,
  workspaceIds: readonly string[],
  now: Date,
): Promise<{ monthTokens: number; monthCostMicroDollars: number; period: string }> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const usage =
    workspaceIds.length === 0
      ? { tokens: 0, costMicroDollars: 0 }
      : await source.sumUsageOfWorkspaces(workspaceIds, { from: from.toISOString(), to: to.toISOString() });
  return { monthTokens: usage.tokens, monthCostMicroDollars: usage.costMicroDollars, period: budgetPeriodOf(now) };
}
