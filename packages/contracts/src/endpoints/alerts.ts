import {
  alertParamsSchema,
  alertSchema,
  alertSettingsSchema,
  alertsPageSchema,
  listAlertsQuerySchema,
  recommendationsQuerySchema,
  recommendationsSchema,
  updateAlertSettingsSchema,
} from '../alerts.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'alerts';

export const listAlerts = defineEndpoint({
  operationId: 'listAlerts',
  method: 'GET',
  path: '/api/v1/alerts',
  tag,
  auth: 'any',
  summary: 'Alerts the anomaly detector raised, newest first',
  description:
    'Stalled agents, error-rate and cost spikes, stuck workflow runs, event-stream lag and a nearly full disk, as the detector found them (it runs every minute). One alert per condition instance: it stays open or acknowledged until someone resolves it or the detector sees the condition clear. Filter by `status` and `kind`; `openCount` counts the unresolved alerts whatever the filters. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listAlertsQuerySchema,
  responses: { 200: { description: 'A page of alerts', schema: alertsPageSchema } },
  errors: [],
});

export const acknowledgeAlert = defineEndpoint({
  operationId: 'acknowledgeAlert',
  method: 'POST',
  path: '/api/v1/alerts/{id}/acknowledge',
  tag,
  auth: 'any',
  summary: 'Say someone is looking at an alert',
  description:
    'Marks an open alert acknowledged (an acknowledged one answers as it is). It still resolves by itself when the condition clears. A resolved alert answers 409 ALERT_ALREADY_RESOLVED. Appends an `alert-acknowledged` event. Viewers answer 403 FORBIDDEN.',
  params: alertParamsSchema,
  responses: { 200: { description: 'The alert', schema: alertSchema } },
  errors: ['FORBIDDEN', 'ALERT_NOT_FOUND', 'ALERT_ALREADY_RESOLVED'],
});

export const resolveAlert = defineEndpoint({
  operationId: 'resolveAlert',
  method: 'POST',
  path: '/api/v1/alerts/{id}/resolve',
  tag,
  auth: 'any',
  summary: 'Close an alert',
  description:
    'Resolves an open or acknowledged alert (a resolved one answers as it is). If the condition still holds, the detector raises a new alert at its next run. Appends an `alert-resolved` event. Viewers answer 403 FORBIDDEN.',
  params: alertParamsSchema,
  responses: { 200: { description: 'The alert', schema: alertSchema } },
  errors: ['FORBIDDEN', 'ALERT_NOT_FOUND'],
});

export const getAlertSettings = defineEndpoint({
  operationId: 'getAlertSettings',
  method: 'GET',
  path: '/api/v1/settings/alerts',
  tag,
  auth: 'user',
  summary: 'The anomaly detector’s thresholds',
  description: 'The thresholds of the workspace, defaults filled in. Owners and admins only (403 FORBIDDEN for everyone else).',
  responses: { 200: { description: 'The thresholds', schema: alertSettingsSchema } },
  errors: ['FORBIDDEN'],
});

export const updateAlertSettings = defineEndpoint({
  operationId: 'updateAlertSettings',
  method: 'PUT',
  path: '/api/v1/settings/alerts',
  tag,
  auth: 'user',
  summary: 'Change the anomaly detector’s thresholds',
  description:
    'Changes the thresholds given and keeps the others; the detector uses them from its next run. Owners and admins only (403 FORBIDDEN for everyone else). A value out of range answers 400 VALIDATION_FAILED naming the field.',
  body: updateAlertSettingsSchema,
  responses: { 200: { description: 'The thresholds now', schema: alertSettingsSchema } },
  errors: ['FORBIDDEN'],
});

export const getCostRecommendations = defineEndpoint({
  operationId: 'getCostRecommendations',
  method: 'GET',
  path: '/api/v1/analytics/recommendations',
  tag: 'analytics',
  auth: 'any',
  summary: 'Cheaper models per agent and tasks that cost far more than usual',
  description:
    'From the runs of the range (30 days by default): for each agent, the cheapest model (cost per finished run) whose success rate on runs of tasks with the agent’s capabilities was at least the agent’s own on its current model; and the tasks whose total run cost was above `costlyTaskMultiple` times the median task cost of their capability. Agents with no cheaper model as good are left out.',
  query: recommendationsQuerySchema,
  responses: { 200: { description: 'The recommendations', schema: recommendationsSchema } },
  errors: ['VALIDATION_FAILED'],
});
