import { NavLink } from 'react-router';

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
  return (
    <nav aria-label="Automation">
      <ul className="flex flex-wrap gap-1">
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink
              to={tab.to}
              end
              className={({ isActive }) =>
                `block border-2 border-ink px-2 py-0.5 text-sm font-black uppercase ${isActive ? 'bg-ink text-paper' : 'bg-paper hover:bg-paper-alt'}`
              }
            >
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
