import type { ServiceContext } from '../../core/service-context.js';
import type { AgentService } from '../agents/agent.service.js';
import type { CreditService } from '../credits/credit.service.js';
import type { PayoutTransfers } from '../credits/payout-transfers.js';
import type { NotificationService } from '../notifications/notification.service.js';
import { OrganizationDirectory } from '../organizations/organization-directory.js';
import type { TaskService } from '../tasks/task.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import type { InstallationServiceDependencies } from './installation.service.js';
import { InstallationService } from './installation.service.js';
import { InstallationUpgradeService } from './installation-upgrade.service.js';
import { ListingService, type ListingServiceDependencies } from './listing.service.js';
import { type ListingFiguresDependencies, ListingFiguresService } from './listing-figures.service.js';
import { ListingSearchService } from './listing-search.service.js';
import { PayoutService } from './payout.service.js';
import { PurchaseService } from './purchase.service.js';
import { RentalService } from './rental.service.js';
import { ReviewService } from './review.service.js';
import { SubscriptionService } from './subscription.service.js';
import { UsageMeteringService } from './usage-metering.service.js';

export type MarketplaceDependencies = Omit<ListingServiceDependencies, 'organizations' | 'figures'> &
  ListingFiguresDependencies &
  Omit<InstallationServiceDependencies, 'listings' | 'purchases' | 'agents'> & {
    /** Installs create agents through it; a rental's end pauses them. */
    agents: InstallationServiceDependencies['agents'] & Pick<AgentService, 'pauseAgents' | 'resumeAgents'>;
    workspaces: Pick<WorkspaceService, 'listMembers'>;
    notifications: Pick<NotificationService, 'notifyInTransaction'>;
    credits: CreditService;
    /** Usage pricing charges the tasks its installed agents finish. */
    tasks: Pick<TaskService, 'findTasksByIds'>;
    /** The platform's share of a sale, in percent. */
    feePercent: number;
    /** Payouts to publishers: Stripe Connect when Stripe is configured. */
    transfers: PayoutTransfers | undefined;
  };

/** The marketplace's services, built together: each needs the listings service. */
export function createMarketplaceServices(context: ServiceContext, dependencies: MarketplaceDependencies) {
  const organizations = new OrganizationDirectory(context);
  const figures = new ListingFiguresService(context, dependencies);
  const listings = new ListingService(context, { ...dependencies, organizations, figures });
  const subscriptions = new SubscriptionService(context, dependencies);
  const purchases = new PurchaseService(context, { ...dependencies, listings, organizations, subscriptions });
  const installations = new InstallationService(context, { ...dependencies, listings, purchases });
  return {
    listings,
    listingSearch: new ListingSearchService(context, listings),
    purchases,
    installations,
    installationUpgrades: new InstallationUpgradeService(context, { ...dependencies, listings, purchases }, installations),
    reviews: new ReviewService(context, { listings, users: dependencies.users, organizations }),
    rentals: new RentalService(context, { ...dependencies, organizations }),
    subscriptions,
    payouts: new PayoutService(context, { ...dependencies, listings, organizations }),
    usageMetering: new UsageMeteringService(context, { ...dependencies, subscriptions }),
  };
}

export type MarketplaceServices = ReturnType<typeof createMarketplaceServices>;
