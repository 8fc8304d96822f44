import { createBrowserRouter, Link } from 'react-router';
import { Skeleton } from '../components/states';
import { LoginPage } from '../features/auth/login-page';
import { RequireSession } from '../features/auth/require-session';
import { AppShell } from '../features/layout/app-shell';
import { usePageTitle } from '../features/layout/use-page-title';
import { RouteError } from './route-error';

/** Each page is its own chunk; the shell and login page are in the first load. */
export function createRouter() {
  return createBrowserRouter([
    { path: '/login', element: <LoginPage /> },
    // Public: whoever holds an invitation link joins here, with or without an account.
    {
      path: '/invite/:token',
      HydrateFallback: PageLoading,
      errorElement: <RouteError />,
      lazy: async () => ({ Component: (await import('../features/invitations/invite-page')).default }),
    },
    {
      path: '/',
      // Lazy pages load after the first paint: this is what shows meanwhile (and no console warning).
      HydrateFallback: PageLoading,
      element: (
        <RequireSession>
          <AppShell />
        </RequireSession>
      ),
      children: [
        {
          // A page that fails to load or crashes shows inside the shell; the navigation still works.
          errorElement: <RouteError />,
          children: [
            { index: true, lazy: async () => ({ Component: (await import('../features/command-center/command-center-page')).default }) },
            { path: 'tasks', lazy: async () => ({ Component: (await import('../features/tasks/tasks-page')).default }) },
            { path: 'agents', lazy: async () => ({ Component: (await import('../features/agents/agents-page')).default }) },
            { path: 'agents/:agentId', lazy: async () => ({ Component: (await import('../features/agents/agent-profile-page')).default }) },
            { path: 'runs', lazy: async () => ({ Component: (await import('../features/runs/runs-page')).default }) },
            { path: 'documents', lazy: async () => ({ Component: (await import('../features/documents/documents-page')).default }) },
            {
              path: 'documents/:documentId',
              lazy: async () => ({ Component: (await import('../features/documents/document-page')).default }),
            },
            {
              path: 'notifications',
              lazy: async () => ({ Component: (await import('../features/notifications/notifications-page')).default }),
            },
            {
              path: 'notifications/preferences',
              lazy: async () => ({ Component: (await import('../features/notifications/preferences-page')).default }),
            },
            {
              path: 'settings/integrations',
              lazy: async () => ({ Component: (await import('../features/integrations/integrations-page')).default }),
            },
            {
              path: 'settings/workspace',
              lazy: async () => ({ Component: (await import('../features/workspace-settings/workspace-settings-page')).default }),
            },
            { path: 'settings/members', lazy: async () => ({ Component: (await import('../features/members/members-page')).default }) },
            { path: 'settings/roles', lazy: async () => ({ Component: (await import('../features/roles/roles-page')).default }) },
            {
              path: 'settings/organization',
              lazy: async () => ({ Component: (await import('../features/organizations/organization-page')).default }),
            },
            { path: 'settings/teams', lazy: async () => ({ Component: (await import('../features/organizations/teams-page')).default }) },
            { path: 'settings/credits', lazy: async () => ({ Component: (await import('../features/credits/credits-page')).default }) },
            { path: 'working', lazy: async () => ({ Component: (await import('../features/working-state/working-state-page')).default }) },
            { path: 'skills', lazy: async () => ({ Component: (await import('../features/skills/skills-page')).default }) },
            { path: 'skills/:skillId', lazy: async () => ({ Component: (await import('../features/skills/skill-page')).default }) },
            { path: 'marketplace', lazy: async () => ({ Component: (await import('../features/marketplace/marketplace-page')).default }) },
            {
              path: 'marketplace/listings/:listingId',
              lazy: async () => ({ Component: (await import('../features/marketplace/listing-page')).default }),
            },
            {
              path: 'marketplace/publish',
              lazy: async () => ({ Component: (await import('../features/marketplace/publish-page')).default }),
            },
            {
              path: 'marketplace/mine',
              lazy: async () => ({ Component: (await import('../features/marketplace/my-listings-page')).default }),
            },
            {
              path: 'marketplace/installed',
              lazy: async () => ({ Component: (await import('../features/marketplace/installed-page')).default }),
            },
            {
              path: 'marketplace/rentals',
              lazy: async () => ({ Component: (await import('../features/rentals/rentals-page')).default }),
            },
            {
              path: 'marketplace/subscriptions',
              lazy: async () => ({ Component: (await import('../features/subscriptions/subscriptions-page')).default }),
            },
            {
              path: 'marketplace/disputes',
              lazy: async () => ({ Component: (await import('../features/rentals/disputes-page')).default }),
            },
            {
              path: 'marketplace/moderation',
              lazy: async () => ({ Component: (await import('../features/marketplace/moderation-page')).default }),
            },
            { path: 'search', lazy: async () => ({ Component: (await import('../features/search/search-page')).default }) },
            { path: 'analytics', lazy: async () => ({ Component: (await import('../features/analytics/analytics-page')).default }) },
            { path: 'costs', lazy: async () => ({ Component: (await import('../features/costs/costs-page')).default }) },
            { path: 'system', lazy: async () => ({ Component: (await import('../features/system/system-page')).default }) },
            { path: 'audit', lazy: async () => ({ Component: (await import('../features/audit/audit-page')).default }) },
            { path: 'workflows', lazy: async () => ({ Component: (await import('../features/workflows/workflows-page')).default }) },
            {
              path: 'workflows/runs/:runId',
              lazy: async () => ({ Component: (await import('../features/workflows/workflow-run-page')).default }),
            },
            {
              path: 'workflows/:workflowId',
              lazy: async () => ({ Component: (await import('../features/workflows/workflow-page')).default }),
            },
            { path: 'routines', lazy: async () => ({ Component: (await import('../features/routines/routines-page')).default }) },
            { path: 'triggers', lazy: async () => ({ Component: (await import('../features/routines/triggers-page')).default }) },
            { path: 'alerts', lazy: async () => ({ Component: (await import('../features/alerts/alerts-page')).default }) },
            { path: 'approvals', lazy: async () => ({ Component: (await import('../features/approvals/approvals-page')).default }) },
            { path: 'security', lazy: async () => ({ Component: (await import('../features/identity/security-page')).default }) },
            { path: '*', element: <NotFound /> },
          ],
        },
      ],
    },
  ]);
}

function PageLoading() {
  return <Skeleton className="m-4 h-96" label="Loading page" />;
}

function NotFound() {
  usePageTitle('Not found');
  return (
    <div className="border-[3px] border-ink p-6">
      <h1 className="text-4xl font-black uppercase">404</h1>
      <p className="mt-2">Nothing here.</p>
      <Link to="/" className="brutal-button mt-4">
        Back to the command center
      </Link>
    </div>
  );
}
