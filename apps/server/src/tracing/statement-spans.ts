import { context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult } from 'kysely';

/** "select", "insert", "begin"…: the statement's first keyword names its span. */
function operationOf(statement: string): string {
  return /^\s*\(?\s*([a-z]+)/i.exec(statement)?.[1]?.toLowerCase() ?? 'query';
}

function traceConnection(connection: DatabaseConnection, tracer: Tracer, system: string): DatabaseConnection {
  return {
    executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
      // Only inside a request or a turn: the event stream's and the maintenance loop's polling would each be a trace of its own.
      if (!trace.getSpan(context.active())) return connection.executeQuery<R>(compiledQuery);
      const operation = operationOf(compiledQuery.sql);
      // The statement text carries placeholders only: bound values (passwords, tokens, content) never reach a span.
      const attributes = { 'db.system.name': system, 'db.operation.name': operation, 'db.query.text': compiledQuery.sql };
      return tracer.startActiveSpan(`db ${operation}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        try {
          return await connection.executeQuery<R>(compiledQuery);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    streamQuery: (compiledQuery, chunkSize) => connection.streamQuery(compiledQuery, chunkSize),
  };
}

/** Wraps a dialect so each statement its connections run becomes a client span under the active one. */
export function withStatementSpans(dialect: Dialect, tracer: Tracer, engine: 'sqlite' | 'postgres'): Dialect {
  const system = engine === 'postgres' ? 'postgresql' : 'sqlite';
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: (): Driver => {
      const driver = dialect.createDriver();
      const traced = new WeakMap<DatabaseConnection, DatabaseConnection>();
      // Transactions pass the connection back to the driver (begin, commit, release): it gets the original.
      const untraced = new WeakMap<DatabaseConnection, DatabaseConnection>();
      const original = (connection: DatabaseConnection) => untraced.get(connection) ?? connection;
      return {
        init: () => driver.init(),
        acquireConnection: async () => {
          const connection = await driver.acquireConnection();
          let wrapped = traced.get(connection);
          if (!wrapped) {
            wrapped = traceConnection(connection, tracer, system);
            traced.set(connection, wrapped);
            untraced.set(wrapped, connection);
          }
          return wrapped;
        },
        beginTransaction: (connection, settings) => driver.beginTransaction(original(connection), settings),
        commitTransaction: (connection) => driver.commitTransaction(original(connection)),
        rollbackTransaction: (connection) => driver.rollbackTransaction(original(connection)),
        releaseConnection: (connection) => driver.releaseConnection(original(connection)),
        destroy: () => driver.destroy(),
        ...(driver.savepoint
          ? { savepoint: (connection, name, compile) => driver.savepoint?.(original(connection), name, compile) ?? Promise.resolve() }
          : {}),
        ...(driver.rollbackToSavepoint
          ? {
              rollbackToSavepoint: (connection, name, compile) =>
                driver.rollbackToSavepoint?.(original(connection), name, compile) ?? Promise.resolve(),
            }
          : {}),
        ...(driver.releaseSavepoint
          ? {
              releaseSavepoint: (connection, name, compile) =>
                driver.releaseSavepoint?.(original(connection), name, compile) ?? Promise.resolve(),
            }
          : {}),
      };
    },
  };
}
