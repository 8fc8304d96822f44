import { z } from 'zod';

/** One permission name an API key can be scoped to. */
export const permissionSchema = z
  .object({
    name: z.string().describe('`<tag>.read` (its GET endpoints) or `<tag>.write` (the others)'),
    description: z.string(),
    operations: z.array(z.string()).describe('The operationIds it allows'),
  })
  .meta({ id: 'Permission' });
export type Permission = z.infer<typeof permissionSchema>;
