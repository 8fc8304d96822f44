import { z } from 'zod';
import { idSchema } from '../common.js';
import { defineEvent } from './event-base.js';

const installedItemsSchema = z
  .array(z.object({ kind: z.enum(['agent', 'workflow', 'skill']), id: idSchema, name: z.string() }))
  .describe('What the installation created or changed in the workspace');

export const listingInstalledEventSchema = defineEvent(
  'listing-installed',
  { id: 'ListingInstalledEvent', description: 'A marketplace listing was installed into the workspace.' },
  { installationId: idSchema, listingId: idSchema, title: z.string(), version: z.string(), items: installedItemsSchema },
);

export const listingUpgradedEventSchema = defineEvent(
  'listing-upgraded',
  { id: 'ListingUpgradedEvent', description: 'An installed listing was upgraded to another version; the workspace’s own changes stayed.' },
  { installationId: idSchema, listingId: idSchema, title: z.string(), from: z.string(), to: z.string(), items: installedItemsSchema },
);

export const listingUninstalledEventSchema = defineEvent(
  'listing-uninstalled',
  { id: 'ListingUninstalledEvent', description: 'An installed listing was uninstalled: what it created was deleted.' },
  { installationId: idSchema, listingId: idSchema, title: z.string(), version: z.string(), items: installedItemsSchema },
);

export const marketplaceEventSchemas = [listingInstalledEventSchema, listingUpgradedEventSchema, listingUninstalledEventSchema] as const;
