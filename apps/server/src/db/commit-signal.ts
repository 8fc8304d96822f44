import type { DatabaseConnection, Dialect, Driver } from 'kysely';

/** Listeners told after every committed transaction, whoever ran it. */
export class CommitSignal {
  private readonly listeners = new Set<() => void>();

  /** Registers a listener; returns a function that removes it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * Wraps a dialect so the signal fires after each commit. This is how the event stream learns,
 * without any service having to remember to say so, that new outbox rows may be visible.
 */
export function withCommitSignal(dialect: Dialect, signal: CommitSignal): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: (): Driver => {
      const driver = dialect.createDriver();
      return new Proxy(driver, {
        get(target, property, receiver) {
          if (property === 'commitTransaction') {
            return async (connection: DatabaseConnection) => {
              await target.commitTransaction(connection);
              signal.emit();
            };
          }
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}
