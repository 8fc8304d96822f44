import { z } from 'zod';
import { alertKindSchema, alertSubjectSchema } from '../alerts.js';
import { idSchema } from '../common.js';
import { defineEvent } from './event-base.js';

const alertShape = {
  alertId: idSchema,
  kind: alertKindSchema,
  subject: alertSubjectSchema,
};

export const alertRaisedEventSchema = defineAlertEvent(
  'alert-raised',
  'AlertRaisedEvent',
  'The anomaly detector found a condition (a stalled agent, a spike, a stuck run, lag, a full disk) and opened an alert; owners and admins are notified.',
  { measurements: z.record(z.string(), z.number()) },
);

export const alertAcknowledgedEventSchema = defineAlertEvent(
  'alert-acknowledged',
  'AlertAcknowledgedEvent',
  'Someone said they are looking at an alert.',
  {},
);

export const alertResolvedEventSchema = defineAlertEvent(
  'alert-resolved',
  'AlertResolvedEvent',
  'An alert was closed: by a person, or by the detector when the condition cleared (`automatic`).',
  { automatic: z.boolean().describe('True when the detector saw the condition clear') },
);

function defineAlertEvent<Type extends string, Shape extends z.core.$ZodShape>(type: Type, id: string, description: string, shape: Shape) {
  return defineEvent(type, { id, description }, { ...alertShape, ...shape });
}

export const alertEventSchemas = [alertRaisedEventSchema, alertAcknowledgedEventSchema, alertResolvedEventSchema] as const;
