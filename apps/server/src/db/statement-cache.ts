import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite driver prepares every statement anew; preparing (parsing and planning the SQL)
 * cost more than running most of our primary-key reads. The queries come from a fixed set of
 * builders, so the distinct SQL texts are few: prepared statements are kept by text and reused.
 * Bounded in case a caller builds SQL with many shapes (IN lists of varying length).
 */
export function withStatementCache(database: SqliteDatabase.Database, maxStatements = 1_000): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string) {
      const cached = statements.get(sql);
      // A statement still iterating (a streamed query) cannot run twice at once: prepare a fresh one.
      if (cached && !cached.busy) return cached;
      const statement = database.prepare(sql);
      if (!cached) {
        if (statements.size >= maxStatements) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
