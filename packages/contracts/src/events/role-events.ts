import { z } from 'zod';
import { idSchema } from '../common.js';
import { customRoleBaseSchema } from '../roles.js';
import { defineEvent } from './event-base.js';

const roleData = { roleId: idSchema, name: z.string(), baseRole: customRoleBaseSchema, permissions: z.array(z.string()) };

export const roleCreatedEventSchema = defineEvent(
  'role-created',
  { id: 'RoleCreatedEvent', description: 'An owner or admin created a custom role.' },
  roleData,
);

export const roleUpdatedEventSchema = defineEvent(
  'role-updated',
  {
    id: 'RoleUpdatedEvent',
    description: 'A custom role was renamed or its permissions changed; its holders get the new permissions at once.',
  },
  roleData,
);

export const roleDeletedEventSchema = defineEvent(
  'role-deleted',
  { id: 'RoleDeletedEvent', description: 'A custom role nobody held was deleted.' },
  { roleId: idSchema, name: z.string() },
);

export const roleEventSchemas = [roleCreatedEventSchema, roleUpdatedEventSchema, roleDeletedEventSchema] as const;
