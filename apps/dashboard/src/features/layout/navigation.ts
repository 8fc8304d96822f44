/**
 * The main navigation, in order. Each feature appends one line here (and one route in
 * app/router.tsx); the shell renders the list inline on wide screens and as a menu on phones.
 */
export interface NavigationItem {
  to: string;
  label: string;
}

export const navigation: NavigationItem[] = [
  { to: '/', label: 'Command' },
  { to: '/tasks', label: 'Tasks' },
  { to: '/agents', label: 'Agents' },
  { to: '/runs', label: 'Runs' },
  { to: '/documents', label: 'Docs' },
  { to: '/skills', label: 'Skills' },
  { to: '/marketplace', label: 'Marketplace' },
  { to: '/working', label: 'WORKING.md' },
  { to: '/notifications', label: 'Inbox' },
  { to: '/workflows', label: 'Workflows' },
  { to: '/approvals', label: 'Approvals' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/search', label: 'Search' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/costs', label: 'Costs' },
  { to: '/audit', label: 'Audit' },
  { to: '/system', label: 'System' },
  { to: '/security', label: 'Security' },
  { to: '/settings/integrations', label: 'Integrations' },
  { to: '/settings/workspace', label: 'Workspace' },
  { to: '/settings/members', label: 'Members' },
  { to: '/settings/roles', label: 'Roles' },
  { to: '/settings/organization', label: 'Organisation' },
  { to: '/settings/teams', label: 'Teams' },
  { to: '/settings/credits', label: 'Credits' },
];
