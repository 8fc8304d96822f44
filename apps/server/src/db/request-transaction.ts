import { AsyncLocalStorage } from 'node:async_hooks';
import { type ControlledTransaction, type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * One request's database transaction (see docs/decisions/0007). While a handler runs inside it,
 * every query and every `db.transaction()` of the services goes to this one transaction, so the
 * request's Idempotency-Key claim, its work, its events and its stored answer commit together or
 * not at all.
 */
interface RequestState {
  readonly root: Kysely<Database>;
  readonly transaction: ControlledTransaction<Database>;
  /** False once commit or rollback began: from then on the services' handle is the plain database again. */
  open: boolean;
  /** Names savepoints uniquely within the connection. */
  savepoints: { next: number };
  /** Nested transactions of parallel branches take turns, so their savepoints never interleave. */
  turn: Promise<void>;
}

interface Scope {
  readonly state: RequestState;
  /** Inside a nested transaction: further nesting runs at once (it is this branch's turn already). */
  readonly inSavepoint: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();
const roots = new WeakMap<object, Kysely<Database>>();

/** Methods are bound to the real object (Kysely keeps its state in private fields, which a Proxy receiver cannot reach). */
function boundMember(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === 'function' ? value.bind(target) : value;
}

/** A handle of its own for one nested transaction: event ordering keys its advisory lock on the executor's identity. */
function savepointExecutor(transaction: Transaction<Database>): Transaction<Database> {
  return new Proxy(transaction, { get: (target, property) => boundMember(target, property) });
}

function currentState(root: Kysely<Database>): RequestState | undefined {
  const scope = scopes.getStore();
  return scope?.state.open && scope.state.root === root ? scope.state : undefined;
}

function nextSavepointName(state: RequestState): string {
  state.savepoints.next += 1;
  return `request_savepoint_${state.savepoints.next}`;
}

async function inSavepoint<Result>(scope: Scope, work: (trx: Transaction<Database>) => Promise<Result>): Promise<Result> {
  const { state } = scope;
  const name = nextSavepointName(state);
  const run = async () => {
    await sql`savepoint ${sql.id(name)}`.execute(state.transaction);
    try {
      const result = await scopes.run({ state, inSavepoint: true }, () => work(savepointExecutor(state.transaction)));
      await sql`release savepoint ${sql.id(name)}`.execute(state.transaction);
      return result;
    } catch (error) {
      // Like the transaction it stands for: its own changes are undone, the request's go on.
      await sql`rollback to savepoint ${sql.id(name)}`.execute(state.transaction);
      await sql`release savepoint ${sql.id(name)}`.execute(state.transaction);
      throw error;
    }
  };
  if (scope.inSavepoint) return run();
  const previous = state.turn;
  let finished: () => void = () => {};
  state.turn = new Promise((resolve) => {
    finished = resolve;
  });
  await previous;
  try {
    return await run();
  } finally {
    finished();
  }
}

/** What `db.transaction()` answers inside a request transaction: the same builder shape, run as a savepoint. */
function nestedTransactionBuilder(scope: Scope) {
  const builder = {
    // The request transaction's isolation applies; a savepoint cannot change it.
    setIsolationLevel: () => builder,
    setAccessMode: () => builder,
    execute: <Result>(work: (trx: Transaction<Database>) => Promise<Result>) => inSavepoint(scope, work),
  };
  return builder;
}

/**
 * Wraps the database so that, inside a request transaction begun from it, it stands for that
 * transaction (queries, `transaction()`, `connection()`), and everywhere else it is the database
 * itself. openDatabase hands out only this wrapper, so every service, job and test uses it.
 */
export function routeToRequestTransaction(root: Kysely<Database>): Kysely<Database> {
  const rootMembers = new Map<string | symbol, unknown>();
  const routed = new Proxy(root, {
    get(target, property) {
      const scope = scopes.getStore();
      if (scope?.state.open && scope.state.root === target) {
        if (property === 'transaction') return () => nestedTransactionBuilder(scope);
        if (property === 'connection')
          return () => ({ execute: <Result>(work: (trx: Kysely<Database>) => Promise<Result>) => work(routed) });
        if (property === 'startTransaction') {
          throw new Error('startTransaction() is not available inside a request transaction; use transaction().execute().');
        }
        return boundMember(scope.state.transaction, property);
      }
      if (!rootMembers.has(property)) rootMembers.set(property, boundMember(target, property));
      return rootMembers.get(property);
    },
  });
  roots.set(routed, root);
  return routed;
}

/** A request transaction, begun by beginRequestTransaction; exactly one of commit or rollback ends it. */
export interface RequestTransaction {
  /** The transaction itself, for the statements of the request's own bookkeeping (the idempotency row). */
  readonly executor: Transaction<Database>;
  /** Runs `work` (and everything it starts) with the database handle standing for this transaction. */
  run<Result>(work: () => Result): Result;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  readonly finished: boolean;
}

/**
 * Begins the transaction of one request on a database from openDatabase. Inside another request's
 * transaction (an in-process call from a handler) it becomes a savepoint of that one, so it never
 * waits for a connection its caller holds.
 */
export async function beginRequestTransaction(db: Kysely<Database>): Promise<RequestTransaction> {
  const root = roots.get(db);
  if (!root) throw new Error('beginRequestTransaction needs the database handle from openDatabase');
  const enclosing = currentState(root);
  if (enclosing) return beginNestedRequestTransaction(enclosing);
  const transaction = await root.startTransaction().execute();
  const state: RequestState = { root, transaction, open: true, savepoints: { next: 0 }, turn: Promise.resolve() };
  return {
    executor: transaction,
    run: (work) => scopes.run({ state, inSavepoint: false }, work),
    get finished() {
      return !state.open;
    },
    async commit() {
      state.open = false;
      await transaction.commit().execute();
    },
    async rollback() {
      state.open = false;
      if (transaction.isCommitted || transaction.isRolledBack) return;
      await transaction.rollback().execute();
    },
  };
}

async function beginNestedRequestTransaction(enclosing: RequestState): Promise<RequestTransaction> {
  const name = nextSavepointName(enclosing);
  await sql`savepoint ${sql.id(name)}`.execute(enclosing.transaction);
  const state: RequestState = { ...enclosing, open: true, turn: Promise.resolve() };
  let ended = false;
  return {
    executor: savepointExecutor(enclosing.transaction),
    run: (work) => scopes.run({ state, inSavepoint: false }, work),
    get finished() {
      return ended;
    },
    async commit() {
      state.open = false;
      ended = true;
      await sql`release savepoint ${sql.id(name)}`.execute(enclosing.transaction);
    },
    async rollback() {
      if (ended) return;
      state.open = false;
      ended = true;
      await sql`rollback to savepoint ${sql.id(name)}`.execute(enclosing.transaction);
      await sql`release savepoint ${sql.id(name)}`.execute(enclosing.transaction);
    },
  };
}

/**
 * Runs `work`, and every service call inside it, in one transaction: the services' own
 * `db.transaction()` become savepoints of it, so all of it commits or none does (an installation
 * creating agents, workflows and skills through their services).
 */
export async function runInOneTransaction<Result>(db: Kysely<Database>, work: () => Promise<Result>): Promise<Result> {
  const transaction = await beginRequestTransaction(db);
  try {
    const result = await transaction.run(work);
    await transaction.commit();
    return result;
  } catch (error) {
    await transaction.rollback();
    throw error;
  }
}
