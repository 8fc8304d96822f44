import { PageTabs } from '../../components/page-tabs';

const tabs = [
  { to: '/workflows', label: 'Workflows' },
  { to: '/routines', label: 'Routines' },
  { to: '/triggers', label: 'Triggers' },
];

/**
 * Workflows, routines and triggers are one subject: the main navigation names it once
 * ("Workflows", so the header stays on two rows) and these tabs move between its three pages.
 */
export function AutomationTabs() {
  return <PageTabs label="Automation" tabs={tabs} />;
}
