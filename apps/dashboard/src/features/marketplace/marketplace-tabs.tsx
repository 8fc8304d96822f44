import type { ReactNode } from 'react';
import { NavLink } from 'react-router';

const tabs = [
  { to: '/marketplace', label: 'Browse' },
  { to: '/marketplace/publish', label: 'Publish' },
  { to: '/marketplace/mine', label: 'My listings' },
  { to: '/marketplace/installed', label: 'Installed' },
  { to: '/marketplace/moderation', label: 'Moderation' },
];

/** The marketplace's pages: the main navigation names it once, these tabs move between them. */
export function MarketplaceTabs() {
  return (
    <nav aria-label="Marketplace">
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

/** A page of the marketplace: its title, the tabs, then the page. */
export function MarketplaceHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="min-w-0 text-3xl font-black tracking-tighter break-words uppercase">{title}</h1>
        {children}
      </div>
      <MarketplaceTabs />
    </div>
  );
}
