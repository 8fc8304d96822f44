import { NavLink } from 'react-router';

export interface PageTab {
  to: string;
  label: string;
}

/** Tabs between the pages of one subject (the marketplace, automation): the main navigation names the subject once. */
export function PageTabs({ label, tabs }: { label: string; tabs: readonly PageTab[] }) {
  return (
    <nav aria-label={label}>
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
