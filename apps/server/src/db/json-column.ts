import type { z } from 'zod';
import type { Database, Json, NullableJson } from './schema.js';

type JsonColumnOf<Table> = { [Column in keyof Table]: Table[Column] extends Json | NullableJson ? Column : never }[keyof Table];

/** Every JSON column of the schema as `table.column`, so a misspelt name does not compile. */
export type JsonColumnName = { [Table in keyof Database]: `${Table}.${JsonColumnOf<Database[Table]> & string}` }[keyof Database];

/** Stored JSON that does not have the shape its column promises (written by hand, or by a broken version). */
export class StoredDataError extends Error {
  constructor(
    readonly column: JsonColumnName,
    detail: string,
  ) {
    super(`The stored ${column} value does not match its schema (${detail}). Fix or remove the row, or restore a backup.`);
    this.name = 'StoredDataError';
  }
}

/** PostgreSQL hands back parsed jsonb, SQLite the text. */
function decodeJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/**
 * Reads a JSON column: decodes it and checks it against its schema, throwing a StoredDataError
 * naming the column when the stored data does not match. The one-argument form only decodes;
 * it stays for readers that check the result themselves (and for tests looking at raw rows).
 */
export function parseJsonColumn(value: unknown): unknown;
export function parseJsonColumn<Schema extends z.ZodType>(schema: Schema, value: unknown, column: JsonColumnName): z.output<Schema>;
export function parseJsonColumn(...args: [value: unknown] | [schema: z.ZodType, value: unknown, column: JsonColumnName]): unknown {
  if (args.length === 1) return decodeJson(args[0]);
  const [schema, value, column] = args;
  let decoded: unknown;
  try {
    decoded = decodeJson(value);
  } catch (error) {
    throw new StoredDataError(column, error instanceof Error ? error.message : 'not JSON');
  }
  const result = schema.safeParse(decoded);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `at ${issue.path.join('.')}: ` : '';
    throw new StoredDataError(column, `${where}${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}
