import { type Alert, type AlertSettings, endpoints } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters of `alerts.list`: status, kind and the page size. */
export type ListAlertsOptions = Omit<z.input<typeof endpoints.listAlerts.query>, 'cursor'>;
/** One page of alerts with the count of unresolved ones. */
export type AlertsPage = z.output<(typeof endpoints.listAlerts.responses)[200]['schema']>;

/** The anomaly detector's alerts and thresholds (`/alerts`, `/settings/alerts`). */
export class AlertsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.alerts`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists alerts, newest first. */
  list(options: ListAlertsOptions = {}): PageIterator<Alert> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listAlerts, { query: { ...options, cursor } }));
  }

  /** One page of alerts, with `openCount` (unresolved alerts whatever the filters). */
  page(options: z.input<typeof endpoints.listAlerts.query> = {}): Promise<AlertsPage> {
    return this.context.transport.call(endpoints.listAlerts, { query: options });
  }

  /** Says someone is looking at an alert. */
  acknowledge(alertId: string): Promise<Alert> {
    return this.context.transport.call(endpoints.acknowledgeAlert, { params: { id: alertId } });
  }

  /** Closes an alert. */
  resolve(alertId: string): Promise<Alert> {
    return this.context.transport.call(endpoints.resolveAlert, { params: { id: alertId } });
  }

  /** The detector's thresholds (owners and admins). */
  settings(): Promise<AlertSettings> {
    return this.context.transport.call(endpoints.getAlertSettings);
  }

  /** Changes some thresholds (owners and admins). */
  updateSettings(input: z.input<typeof endpoints.updateAlertSettings.body>): Promise<AlertSettings> {
    return this.context.transport.call(endpoints.updateAlertSettings, { body: input });
  }
}
