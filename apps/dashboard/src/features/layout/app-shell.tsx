import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { lazy, Suspense } from 'react';
import { NavLink, Outlet, useSearchParams } from 'react-router';
import { Skeleton } from '../../components/states';
import { useLogout, useSession } from '../auth/use-session';
import { PendingInvitations } from '../invitations/pending-invitations';
import { NotificationBell } from '../notifications/notification-bell';
import { ConnectionIndicator } from '../realtime/connection-indicator';
import { ThemeSwitch } from './theme-switch';

// The task drawer carries the markdown renderer and the thread: it loads when first opened.
const TaskDrawer = lazy(() => import('../tasks/task-drawer'));

const navigation = [
  { to: '/', label: 'Command' },
  { to: '/tasks', label: 'Tasks' },
  { to: '/agents', label: 'Agents' },
  { to: '/documents', label: 'Docs' },
  { to: '/working', label: 'WORKING.md' },
  { to: '/notifications', label: 'Inbox' },
  { to: '/security', label: 'Security' },
];

export function AppShell() {
  const session = useSession();
  const logout = useLogout();
  const [parameters] = useSearchParams();
  const openTask = parameters.get('task');
  return (
    <div className="min-h-screen bg-paper text-ink">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-signal focus:p-2 focus:font-bold">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b-[3px] border-ink bg-paper">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-3 py-2 sm:px-5">
          <NavLink to="/" className="flex items-center gap-2 text-xl font-black tracking-tighter uppercase">
            <span aria-hidden="true" className="inline-block size-5 border-[3px] border-ink bg-signal" />
            Mission Control
          </NavLink>
          <span className="border-2 border-ink px-2 font-mono text-xs font-bold uppercase" title="Workspace">
            {session?.workspace.name}
          </span>
          <nav aria-label="Main" className="order-last w-full overflow-x-auto lg:order-none lg:w-auto">
            <ul className="flex gap-1">
              {navigation.map((item) => (
                <li key={item.to}>
                  <NavLink
                    to={item.to}
                    end={item.to === '/'}
                    className={({ isActive }) =>
                      `block border-2 px-2 py-0.5 text-sm font-black whitespace-nowrap uppercase ${isActive ? 'border-ink bg-ink text-paper' : 'border-transparent hover:border-ink'}`
                    }
                  >
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <ConnectionIndicator />
            <NotificationBell />
            <DropdownMenu.Root>
              <DropdownMenu.Trigger className="brutal-button" aria-label="Account menu">
                {session?.user.name ?? 'Account'}
              </DropdownMenu.Trigger>
              <DropdownMenu.Portal>
                <DropdownMenu.Content
                  align="end"
                  sideOffset={6}
                  className="z-40 min-w-56 border-[3px] border-ink bg-paper p-2 text-ink shadow-[6px_6px_0_0_var(--color-ink)]"
                >
                  <DropdownMenu.Label className="px-2 font-mono text-xs">
                    {session?.user.email} · {session?.role}
                  </DropdownMenu.Label>
                  <div className="px-2 py-2">
                    <ThemeSwitch />
                  </div>
                  <DropdownMenu.Separator className="my-1 h-[3px] bg-ink" />
                  <DropdownMenu.Item
                    className="cursor-pointer px-2 py-1 font-bold uppercase outline-none data-[highlighted]:bg-ink data-[highlighted]:text-paper"
                    onSelect={() => void logout()}
                  >
                    Sign out
                  </DropdownMenu.Item>
                </DropdownMenu.Content>
              </DropdownMenu.Portal>
            </DropdownMenu.Root>
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
