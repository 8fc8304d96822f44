import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { AlertService } from './alert.service.js';

/** The anomaly detector's alerts and its thresholds. */
export async function alertRoutes(app: FastifyInstance, { alerts }: { alerts: AlertService }): Promise<void> {
  registerEndpoint(app, endpoints.listAlerts, async (request) => alerts.listAlerts(request.principal, request.query));
  registerEndpoint(app, endpoints.acknowledgeAlert, async (request) => alerts.acknowledgeAlert(request.principal, request.params.id));
  registerEndpoint(app, endpoints.resolveAlert, async (request) => alerts.resolveAlert(request.principal, request.params.id));
  registerEndpoint(app, endpoints.getAlertSettings, async (request) => alerts.getAlertSettings(request.principal));
  registerEndpoint(app, endpoints.updateAlertSettings, async (request) => alerts.updateAlertSettings(request.principal, request.body));
}
