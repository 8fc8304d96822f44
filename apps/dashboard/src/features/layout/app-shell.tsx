import { lazy, Suspense, useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation, useSearchParams } from 'react-router';
import { Skeleton } from '../../components/states';
import { useSession } from '../auth/use-session';
import { CommandPaletteButton } from '../command-palette/command-palette-button';
import { MfaEnrolmentRedirect } from '../identity/mfa-enrolment-redirect';
import { PendingInvitations } from '../invitations/pending-invitations';
import { ConnectionIndicator } from '../realtime/connection-indicator';
import { useWorkspace } from '../workspace-settings/workspace-api';
import { AccountButton } from './account-button';
import { KeyboardShortcuts } from './keyboard-shortcuts-listener';
import { navigation } from './navigation';

// The menus (radix and floating-ui) load right after the first paint, outside the initial bundle.
const AccountMenu = lazy(() => import('./account-menu'));
const NotificationBell = lazy(() => import('../notifications/notification-bell'));
const ApprovalsBadge = lazy(() => import('../approvals/approvals-badge'));
const AlertsBadge = lazy(() => import('../alerts/alerts-badge'));

// The task drawer carries the markdown renderer and the thread: it loads when first opened.
const TaskDrawer = lazy(() => import('../tasks/task-drawer'));

export function AppShell() {
  const session = useSession();
  // The server's copy, kept live by workspace-updated events; the session's until it answers.
  const workspace = useWorkspace();
  const [parameters] = useSearchParams();
  const openTask = parameters.get('task');
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  // A click on the account button before its menu's code has arrived opens the menu when it does.
  const [accountMenuRequested, setAccountMenuRequested] = useState(false);
  // A page change closes the phone menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose
  useEffect(() => setMenuOpen(false), [location.pathname]);
  return (
    <div className="min-h-screen bg-paper text-ink">
      <MfaEnrolmentRedirect />
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-signal focus:p-2 focus:font-bold">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b-[3px] border-ink bg-paper">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-3 py-2 sm:px-5">
          <NavLink to="/" className="flex items-center gap-2 text-xl font-black tracking-tighter uppercase">
            <span aria-hidden="true" className="inline-block size-5 border-[3px] border-ink bg-signal" />
            Mission Control
          </NavLink>
          <span className="hidden border-2 border-ink px-2 font-mono text-xs font-bold uppercase sm:inline" title="Workspace">
            {workspace.data?.name ?? session?.workspace.name}
          </span>
          <button
            type="button"
            className="brutal-button lg:hidden"
            aria-expanded={menuOpen}
            aria-controls="main-navigation"
            onClick={() => setMenuOpen((open) => !open)}
          >
            {menuOpen ? 'Close menu' : 'Menu'}
          </button>
          <nav
            id="main-navigation"
            aria-label="Main"
            className={`order-last w-full lg:order-none lg:block lg:w-auto ${menuOpen ? 'block' : 'hidden'}`}
          >
            <ul className="flex flex-col gap-1 lg:flex-row lg:flex-wrap">
              {navigation.map((item) => (
                <li key={item.to}>
                  <NavLink
                    to={item.to}
                    end={item.to === '/'}
                    className={({ isActive }) =>
                      `block border-2 px-2 py-1 text-sm font-black whitespace-nowrap uppercase lg:px-1.5 lg:py-0.5 ${isActive ? 'border-ink bg-ink text-paper' : 'border-transparent hover:border-ink'}`
                    }
                  >
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          {/* Wraps on a phone when a badge grows (the connection says "Disconnected", "Reconnecting in 5 s"). */}
          <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
            <CommandPaletteButton />
            <KeyboardShortcuts />
            <ConnectionIndicator />
            <Suspense fallback={null}>
              <ApprovalsBadge />
            </Suspense>
            <Suspense fallback={null}>
              <AlertsBadge />
            </Suspense>
            <Suspense
              fallback={
                <span className="brutal-button invisible" aria-hidden="true">
                  0
                </span>
              }
            >
              <NotificationBell />
            </Suspense>
            <Suspense
              fallback={<AccountButton name={session?.user.name} aria-haspopup="menu" onClick={() => setAccountMenuRequested(true)} />}
            >
              <AccountMenu defaultOpen={accountMenuRequested} />
            </Suspense>
          </div>
        </div>
      </header>
      <main id="main" className="px-3 py-4 sm:px-5">
        <PendingInvitations />
        <Suspense fallback={<Skeleton className="h-96" label="Loading page" />}>
          <Outlet />
        </Suspense>
      </main>
      {openTask ? (
        <Suspense fallback={null}>
          <TaskDrawer reference={openTask} />
        </Suspense>
      ) : null}
    </div>
  );
}
