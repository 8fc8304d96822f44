import type { ReactNode } from 'react';
import { PageTabs } from '../../components/page-tabs';

const tabs = [
  { to: '/marketplace', label: 'Browse' },
  { to: '/marketplace/publish', label: 'Publish' },
  { to: '/marketplace/mine', label: 'My listings' },
  { to: '/marketplace/installed', label: 'Installed' },
  { to: '/marketplace/subscriptions', label: 'Subscriptions' },
  { to: '/marketplace/rentals', label: 'Rentals' },
  { to: '/marketplace/disputes', label: 'Disputes' },
  { to: '/marketplace/moderation', label: 'Moderation' },
  { to: '/settings/credits', label: 'Credits' },
];

/** The marketplace's pages: the main navigation names it once, these tabs move between them. */
export function MarketplaceTabs() {
  return <PageTabs label="Marketplace" tabs={tabs} />;
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
