import type { Organization } from '@mission-control/contracts';
import { Link } from 'react-router';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { onOff } from '../workspace-settings/runtime-settings-form';
import { OrganizationForm, settingsKeyOf } from './organization-form';
import { OrganizationPeople } from './organization-people';
import { describeLimit, limitFields, organizationRoleLabel, percentUsed, periodLabel } from './organization-wording';
import { canEditOrganization, useCurrentOrganization, useOrganizationMembers } from './organizations-api';

/**
 * Settings → Organisation: the organisation the current workspace belongs to, your role in it, its
 * limits with what it used, and its sign-in rules; then its people. Owners change the name, the
 * limits and the rules, and people's organisation roles; everyone else reads them.
 */
export default function OrganizationPage() {
  usePageTitle('Organisation');
  const session = useSession();
  const { organizations, organization } = useCurrentOrganization();
  const editable = canEditOrganization(organization?.role);
  const members = useOrganizationMembers(organization?.id);
  const you = members.data?.find((member) => member.userId === session?.user.id);

  return (
    <div className="mx-auto flex max-w-5xl min-w-0 flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-black tracking-tighter uppercase">Organisation</h1>
        <Link to="/settings/teams" className="brutal-button">
          Teams
        </Link>
      </div>
      {organizations.isPending ? <Skeleton className="h-64" label="Loading the organisation" /> : null}
      {organizations.isError ? (
        <ErrorState error={organizations.error} what="the organisation" onRetry={() => void organizations.refetch()} />
      ) : null}
      {organizations.data && !organization ? (
        <EmptyState title="No organisation">This workspace belongs to no organisation you are a member of.</EmptyState>
      ) : null}
      {organization ? (
        <>
          <OrganizationSummary organization={organization} />
          <section className="flex min-w-0 flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby="organization-settings-title">
            <h2 id="organization-settings-title" className="text-xl font-black uppercase">
              Settings
            </h2>
            {editable ? (
              // The server's values win after a save or another owner's change; a new agent count leaves what is being typed alone.
              <OrganizationForm
                key={settingsKeyOf(organization)}
                organization={organization}
                youHaveSecondFactor={you?.mfaEnrolled ?? false}
              />
            ) : (
              <p className="font-bold">Only owners of the organisation can change its name, limits and sign-in rules.</p>
            )}
          </section>
          <OrganizationPeople organizationId={organization.id} yourUserId={session?.user.id} editable={editable} />
        </>
      ) : null}
    </div>
  );
}

/** "login.example.com" from an issuer URL, for a person to recognise the provider. */
function hostOf(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}

/** What everyone reads: the name, your role, each limit with its usage, the sign-in rules. */
function OrganizationSummary({ organization }: { organization: Organization }) {
  return (
    <section className="flex min-w-0 flex-col gap-4 border-[3px] border-ink p-3" aria-labelledby="organization-summary-title">
      <div className="flex min-w-0 flex-col gap-1">
        <h2 id="organization-summary-title" className="text-2xl font-black break-words">
          {organization.name}
        </h2>
        <p>
          You are <span className="font-bold">{organizationRoleLabel(organization.role).toLowerCase()}</span> of this organisation.
        </p>
      </div>
      <div className="flex min-w-0 flex-col gap-2">
        <h3 className="font-black uppercase">Limits and usage</h3>
        <p className="text-sm">Monthly counts are for {periodLabel(organization.usage.period)} (UTC).</p>
        <ul className="grid gap-2 sm:grid-cols-2" data-testid="organization-limits">
          {limitFields.map((field) => {
            const percent = percentUsed(field, organization);
            return (
              <li key={field.key} className="flex min-w-0 flex-col gap-1 border-2 border-ink p-2" data-testid={`limit-${field.key}`}>
                <p className="break-words">
                  <span className="font-bold">{field.label}:</span> {describeLimit(field, organization)}
                </p>
                {percent === null ? null : (
                  <div className="h-3 border-2 border-ink" aria-hidden="true">
                    <div className={`h-full ${percent >= 100 ? 'bg-status-blocked' : 'bg-ink'}`} style={{ width: `${percent}%` }} />
                  </div>
                )}
                {percent !== null && percent >= 100 ? <p className="text-sm font-bold">At the limit: more is refused.</p> : null}
              </li>
            );
          })}
        </ul>
      </div>
      <div className="flex min-w-0 flex-col gap-1">
        <h3 className="font-black uppercase">Sign-in rules</h3>
        <p data-testid="password-sign-in">
          <span className="font-bold">Password sign-in:</span> {onOff(!organization.passwordSignInDisabled)}
          {organization.passwordSignInDisabled ? ' (single sign-on only)' : ''}
        </p>
        <p data-testid="mfa-required">
          <span className="font-bold">Require a second factor:</span> {onOff(organization.mfaRequired)}
        </p>
        <p data-testid="organization-sso" className="break-words">
          <span className="font-bold">Own single sign-on:</span>{' '}
          {organization.sso ? `${organization.sso.providerName} (${hostOf(organization.sso.issuer)})` : 'Not set up'}
        </p>
      </div>
    </section>
  );
}
