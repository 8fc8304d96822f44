import {
  type NotificationChannels,
  type NotificationKind,
  type NotificationKindPreference,
  type NotificationPreferences,
  notificationKindSchema,
  notificationPreferencesSchema,
  type PrincipalReference,
  type UpdateNotificationChannelsInput,
  type UpdateNotificationPreferencesInput,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { maskSecretUrl } from '../../core/secret-box.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { OutboundService } from '../integrations/outbound/outbound.service.js';
import type { UserService } from '../users/user.service.js';
import {
  deletePreferencesOfPerson,
  findPreferences,
  findWorkspaceChannels,
  listPreferencesOfPerson,
  type NotificationChannelRow,
  type NotificationPreferenceRow,
  readPreferenceSettings,
  type StoredPreferenceSettings,
  upsertPreferences,
  upsertWorkspaceChannels,
} from './notification-preference.repository.js';

/** Kinds that go out at once unless a recipient says otherwise. */
const urgentByDefault = new Set<NotificationKind>(['escalation', 'approval']);

/** What a kind does until its recipient changes it: the inbox only. */
export function defaultKindPreference(kind: NotificationKind): NotificationKindPreference {
  return { channels: ['in-app'], priority: urgentByDefault.has(kind) ? 'urgent' : 'normal', muted: false };
}

/** Every kind's preference, the recipient's where set and the default elsewhere. */
export function resolveKindPreferences(settings: StoredPreferenceSettings): Record<NotificationKind, NotificationKindPreference> {
  return notificationPreferencesSchema.shape.kinds.parse(
    Object.fromEntries(notificationKindSchema.options.map((kind) => [kind, settings.kinds[kind] ?? defaultKindPreference(kind)])),
  );
}

export interface NotificationPreferenceOptions {
  /** Whether email can be sent (MISSION_SMTP_URL is set), and from whom. */
  email: { available: boolean; from: string | null };
}

export type NotificationPreferenceService = ReturnType<typeof createNotificationPreferenceService>;

/**
 * Preferences per person and per agent (channels and priority per kind, quiet hours, digest), and
 * the workspace's shared Slack and Discord channels. Secret URLs are sealed by the outbound
 * service and only ever shown masked.
 */
export function createNotificationPreferenceService(
  context: ServiceContext,
  dependencies: { outbound: OutboundService; users: UserService },
  options: NotificationPreferenceOptions,
) {
  const { db, clock } = context;
  const { outbound } = dependencies;

  function maskedSealed(sealed: string | null): string | null {
    if (!sealed) return null;
    const url = outbound.openSecret(sealed);
    return url ? maskSecretUrl(url) : '(unreadable: set it again)';
  }

  async function toPreferences(
    recipient: PrincipalReference,
    row: NotificationPreferenceRow | undefined,
    channels: NotificationChannelRow | undefined,
  ): Promise<NotificationPreferences> {
    const settings = readPreferenceSettings(row);
    const accountEmail = recipient.kind === 'user' ? ((await dependencies.users.findUser(recipient.id))?.email ?? null) : null;
    return {
      recipient,
      timeZone: settings.timeZone,
      quietHours: settings.quietHours,
      digest: settings.digest,
      kinds: resolveKindPreferences(settings),
      email: { address: row?.email_address ?? accountEmail, available: options.email.available },
      slack: {
        webhookUrl: maskedSealed(row?.slack_webhook_url ?? null),
        usesWorkspaceChannel: !row?.slack_webhook_url && Boolean(channels?.slack_webhook_url),
      },
      discord: {
        webhookUrl: maskedSealed(row?.discord_webhook_url ?? null),
        usesWorkspaceChannel: !row?.discord_webhook_url && Boolean(channels?.discord_webhook_url),
      },
      updatedAt: row?.updated_at ?? null,
    };
  }

  function toChannels(row: NotificationChannelRow | undefined): NotificationChannels {
    return {
      slack: { webhookUrl: maskedSealed(row?.slack_webhook_url ?? null) },
      discord: { webhookUrl: maskedSealed(row?.discord_webhook_url ?? null) },
      email: options.email,
      updatedAt: row?.updated_at ?? null,
    };
  }

  /** A new URL sealed after the SSRF check; null removes it; undefined keeps what is stored. */
  async function sealedUrl(input: string | null | undefined, stored: string | null): Promise<string | null> {
    if (input === undefined) return stored;
    if (input === null) return null;
    await outbound.checkTarget(input);
    return outbound.sealSecret(input);
  }

  return {
    /**
     * A person's preferences in every workspace, for their data export: the email address they
     * chose, whether chat webhooks are set (the URLs are secrets and stay sealed), the settings.
     */
    async listPreferencesOfPerson(userId: string) {
      return (await listPreferencesOfPerson(db, userId)).map((row) => ({
        workspaceId: row.workspace_id,
        settings: readPreferenceSettings(row),
        emailAddress: row.email_address,
        slackConfigured: Boolean(row.slack_webhook_url),
        discordConfigured: Boolean(row.discord_webhook_url),
        updatedAt: row.updated_at,
      }));
    },

    /** Erasure, in the caller's transaction: the person's preferences and digest items here (or everywhere: null). */
    async deletePreferencesOfPerson(executor: DatabaseExecutor, userId: string, workspaceId: string | null): Promise<void> {
      await deletePreferencesOfPerson(executor, userId, workspaceId);
    },

    async getPreferences(principal: Principal): Promise<NotificationPreferences> {
      const recipient = toPrincipalReference(principal);
      const [row, channels] = await Promise.all([
        findPreferences(db, principal.workspaceId, principal.kind, principal.id),
        findWorkspaceChannels(db, principal.workspaceId),
      ]);
      return toPreferences(recipient, row, channels);
    },

    async updatePreferences(principal: Principal, input: UpdateNotificationPreferencesInput): Promise<NotificationPreferences> {
      const recipient = toPrincipalReference(principal);
      const current = await findPreferences(db, principal.workspaceId, principal.kind, principal.id);
      const settings = readPreferenceSettings(current);
      const kinds = { ...settings.kinds, ...input.kinds };
      const asksForEmail = Object.values(input.kinds ?? {}).some((preference) => preference?.channels.includes('email'));
      if (asksForEmail && !options.email.available) {
        throw new AppError(
          'NOTIFICATION_CHANNEL_UNAVAILABLE',
          'This server cannot send email: MISSION_SMTP_URL is not set. Choose Slack, Discord or the inbox, or ask the operator to configure SMTP.',
        );
      }
      const next: StoredPreferenceSettings = {
        timeZone: input.timeZone ?? settings.timeZone,
        quietHours: input.quietHours === undefined ? settings.quietHours : input.quietHours,
        digest: input.digest ?? settings.digest,
        kinds,
      };
      const row = {
        workspace_id: principal.workspaceId,
        recipient_kind: principal.kind,
        recipient_id: principal.id,
        settings: JSON.stringify(next),
        email_address: input.emailAddress === undefined ? (current?.email_address ?? null) : input.emailAddress,
        slack_webhook_url: await sealedUrl(input.slackWebhookUrl, current?.slack_webhook_url ?? null),
        discord_webhook_url: await sealedUrl(input.discordWebhookUrl, current?.discord_webhook_url ?? null),
        updated_at: clock.now().toISOString(),
      };
      await upsertPreferences(db, row);
      return toPreferences(recipient, { ...row, settings: next }, await findWorkspaceChannels(db, principal.workspaceId));
    },

    async getWorkspaceChannels(principal: Principal): Promise<NotificationChannels> {
      assertCan(principal, 'workspace:read');
      return toChannels(await findWorkspaceChannels(db, principal.workspaceId));
    },

    async updateWorkspaceChannels(principal: Principal, input: UpdateNotificationChannelsInput): Promise<NotificationChannels> {
      assertCan(principal, 'integration:manage');
      const current = await findWorkspaceChannels(db, principal.workspaceId);
      const now = clock.now();
      const row = {
        workspace_id: principal.workspaceId,
        slack_webhook_url: await sealedUrl(input.slackWebhookUrl, current?.slack_webhook_url ?? null),
        discord_webhook_url: await sealedUrl(input.discordWebhookUrl, current?.discord_webhook_url ?? null),
        updated_at: now.toISOString(),
      };
      const changes = Object.keys(input);
      await db.transaction().execute(async (trx) => {
        await upsertWorkspaceChannels(trx, row);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'notification-channels-updated',
          actor: toPrincipalReference(principal),
          summary: `The workspace's notification channels changed (${changes.join(', ') || 'nothing'})`,
          data: { changes },
          at: now,
        });
      });
      return toChannels(row);
    },
  };
}
