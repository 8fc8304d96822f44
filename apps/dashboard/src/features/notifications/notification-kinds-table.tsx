import {
  type ExternalNotificationChannel,
  externalNotificationChannelSchema,
  type NotificationKind,
  type NotificationKindPreference,
  notificationKindSchema,
  notificationPrioritySchema,
} from '@mission-control/contracts';

export const kindWords: Record<NotificationKind, string> = {
  mention: 'Mentions',
  reply: 'Replies',
  assignment: 'Assignments',
  status: 'Status changes',
  'review-requested': 'Review requests',
  escalation: 'Escalations',
  budget: 'Budget alerts',
  approval: 'Approvals',
  'run-failed': 'Failed runs',
  integration: 'Integrations',
  system: 'System',
};

const channelWords: Record<ExternalNotificationChannel, string> = { email: 'Email', slack: 'Slack', discord: 'Discord' };

export type KindPreferences = Record<NotificationKind, NotificationKindPreference>;

/** Per kind of notification: the channels it goes to besides the inbox, its priority, or muted altogether. */
export function NotificationKindsTable({ kinds, onChange }: { kinds: KindPreferences; onChange: (kinds: KindPreferences) => void }) {
  const change = (kind: NotificationKind, next: Partial<NotificationKindPreference>) =>
    onChange({ ...kinds, [kind]: { ...kinds[kind], ...next } });
  return (
    <ul className="flex flex-col gap-2" aria-label="Each kind of notification">
      {notificationKindSchema.options.map((kind) => {
        const preference = kinds[kind];
        return (
          <li key={kind} className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b-2 border-ink pb-2" data-testid={`kind-${kind}`}>
            <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1">
              <legend className="mb-1 w-full font-bold">{kindWords[kind]}</legend>
              {externalNotificationChannelSchema.options.map((channel) => (
                <label key={channel} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={preference.channels.includes(channel)}
                    disabled={preference.muted}
                    onChange={(event) =>
                      change(kind, {
                        channels: event.target.checked
                          ? [...preference.channels, channel]
                          : preference.channels.filter((each) => each !== channel),
                      })
                    }
                  />
                  {channelWords[channel]}
                </label>
              ))}
              <label className="flex items-center gap-1">
                Priority
                <select
                  className="brutal-input"
                  value={preference.priority}
                  disabled={preference.muted}
                  onChange={(event) => {
                    const priority = notificationPrioritySchema.safeParse(event.target.value);
                    if (priority.success) change(kind, { priority: priority.data });
                  }}
                >
                  <option value="urgent">Urgent: at once</option>
                  <option value="normal">Normal: may wait</option>
                </select>
              </label>
              <label className="flex items-center gap-1">
                <input type="checkbox" checked={preference.muted} onChange={(event) => change(kind, { muted: event.target.checked })} />
                Muted
              </label>
            </fieldset>
          </li>
        );
      })}
    </ul>
  );
}
