import { expect, it } from 'vitest';
import { z } from 'zod';
import { activitySchema, eventDataSchemas, eventTypeSchema } from '../activities.js';
import { agentRuntimeKindSchema, modelProviderSchema } from '../agent-runs.js';
import { agentKindSchema, agentStatusSchema } from '../agents.js';
import { documentTypeSchema } from '../documents.js';
import { messageTypeSchema } from '../messages.js';
import { notificationReasonSchema } from '../notifications.js';
import { taskPrioritySchema, taskStatusSchema } from '../tasks.js';
import { workspaceRoleSchema } from '../workspaces.js';

// docs/events.md is rendered from the schemas; after changing one, regenerate it with
// `npx vitest run packages/contracts/src/events/events-doc.test.ts -u` and commit the result.

const namedEnums: [string, z.ZodEnum][] = [
  ['task status', taskStatusSchema],
  ['task priority', taskPrioritySchema],
  ['agent status', agentStatusSchema],
  ['agent kind', agentKindSchema],
  ['member role', workspaceRoleSchema],
  ['message type', messageTypeSchema],
  ['notification reason', notificationReasonSchema],
  ['document type', documentTypeSchema],
  ['runtime', agentRuntimeKindSchema],
  ['model provider', modelProviderSchema],
];

function enumName(schema: z.ZodEnum): string {
  const values = JSON.stringify(schema.options);
  const named = namedEnums.find(([, known]) => JSON.stringify(known.options) === values);
  return named ? named[0] : schema.options.map((value) => `\`${value}\``).join(' or ');
}

function describeType(schema: z.ZodType): string {
  if (schema instanceof z.ZodNullable) return `${describeType(schema.unwrap() as z.ZodType)} or null`;
  if (schema instanceof z.ZodOptional) return describeType(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodArray) return `list of ${describeType(schema.element as z.ZodType)}`;
  if (schema instanceof z.ZodEnum) return enumName(schema);
  if (schema instanceof z.ZodLiteral) return JSON.stringify(schema.value);
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodNumber) return schema.isInt ? 'integer' : 'number';
  if (schema instanceof z.ZodStringFormat) return schema.format === 'uuid' ? 'id' : schema.format === 'datetime' ? 'timestamp' : 'string';
  if (schema instanceof z.ZodString) return 'string';
  if (schema instanceof z.ZodObject && schema.meta()?.id === 'PrincipalReference') return 'principal';
  return schema.type;
}

function describeFields(data: z.ZodObject): string {
  const fields = Object.entries(data.shape).map(
    ([name, field]) => `\`${name}${field instanceof z.ZodOptional ? '?' : ''}\`: ${describeType(field)}`,
  );
  return fields.length > 0 ? fields.join(', ') : '—';
}

function renderEventsMarkdown(): string {
  const variants = new Map<string, (typeof activitySchema.options)[number]>(
    activitySchema.options.map((variant) => [variant.shape.type.value, variant]),
  );
  const row = (type: string, data: z.ZodObject) => `| \`${type}\` | ${variants.get(type)?.description ?? ''} | ${describeFields(data)} |`;
  const unreadable = variants.get('event-unreadable');
  return [
    '# Events',
    '',
    'Every change in a workspace appends one event in the same transaction that makes it (a',
    'transactional outbox), so an event exists exactly when its change does. The feed',
    '(`GET /api/v1/activities`, `…/activities/task/{id}`, `…/activities/agent/{id}`) and the live streams',
    '(`/api/v1/ws/activities`, `/api/v1/ws/agents/{id}`) deliver the same events. Each one has `seq`',
    '(global, increasing), `id`, `workspaceId`, `type`, `actor` (a principal, or null for the system),',
    '`taskId`, `agentId`, `summary` (one human-readable line), `createdAt` and a `data` object whose',
    'fields depend on `type`:',
    '',
    '| Type | When it happens | Data fields |',
    '| --- | --- | --- |',
    ...eventTypeSchema.options.map((type) => row(type, eventDataSchemas[type])),
    '',
    'A field marked `?` may be absent. An id is a UUID, a timestamp an ISO-8601 UTC time, a principal',
    '`{ "kind": "user" | "agent", "id": "<id>" }`, and the named values are:',
    '',
    ...namedEnums.map(([name, schema]) => `- ${name}: ${schema.options.map((value) => `\`${value}\``).join(', ')}`),
    '',
    '## Reading events safely',
    '',
    '- Narrow on `type` before reading `data`: in TypeScript `Activity` from `@mission-control/contracts`',
    '  is a union on `type`, and `ActivityOf<"task-created">["data"]` is that event’s data.',
    '- The schemas are in `packages/contracts/src/events/`. The server checks `data` against them before',
    '  it stores an event, and parses every stored event with them when it reads one.',
    '- Fields may be added in later versions, always optional, so events stored earlier still parse;',
    '  readers ignore fields they do not know.',
    '- `event-unreadable` is never stored: the server delivers a stored event in this shape when its type',
    '  is unknown (written by a later version) or its data does not match the schema of its type. It keeps',
    '  the event’s `seq`, ids, actor and `summary`, so the feed still shows it; its data is',
    `  ${describeFields(unreadable?.shape.data ?? z.object({}))}. The server logs a warning once for each such event.`,
    '',
    'This file is generated from the schemas by `packages/contracts/src/events/events-doc.test.ts`; after',
    'changing a schema, regenerate it with `npx vitest run packages/contracts/src/events/events-doc.test.ts -u`.',
    '',
  ].join('\n');
}

it('documents every event type in docs/events.md, as the schemas say', async () => {
  await expect(renderEventsMarkdown()).toMatchFileSnapshot('../../../../docs/events.md');
});
