import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Server-side prepared statements for every parameterized query, without changing any query.
 *
 * Kysely sends each query as an unnamed statement, so PostgreSQL parses and plans it on every call; on the
 * checkout path that planning was about a third of the database's CPU per statement (measured: ~190 µs of
 * ~490 µs for a join with a subquery). This client gives each distinct query text a name derived from the
 * text, so each connection parses and plans it once and then only binds and executes it. See
 * docs/decisions/0014-prepared-statements.md.
 *
 * Bounded: texts longer than MAX_TEXT_LENGTH (bulk inserts of layouts, imports) and queries beyond
 * MAX_PER_CONNECTION distinct texts on one connection stay unnamed.
 */
const MAX_TEXT_LENGTH = 4096;
const MAX_PER_CONNECTION = 2000;
/** PostgreSQL refuses to run a prepared statement whose result columns changed (a migration added one). */
const STALE_PLAN = 'cached plan must not change result type';

interface StatementCache {
  parsedStatements: Record<string, string>;
}

/** Per connection (PGlite's one connection outlives its clients): names given, and the current epoch. */
const connections = new WeakMap<object, { named: number; epoch: number }>();

/** A statement name from the text: the same text gets the same name, on every connection. */
export function statementName(text: string, epoch = 0): string {
  return `bo_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}_${epoch}`;
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const plainQuery = pg.Client.prototype.query as unknown as Query;

/** A pg Client (for pg.Pool's `Client` option) that runs parameterized queries as named statements. */
export class PreparingClient extends pg.Client {}

(PreparingClient.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  const [text, values, callback] = args;
  if (
    typeof text === 'string' &&
    Array.isArray(values) &&
    values.length > 0 &&
    callback === undefined &&
    text.length <= MAX_TEXT_LENGTH
  ) {
    const connection = (this as unknown as { connection: StatementCache }).connection;
    const name = nameFor(connection, text);
    if (name) {
      return (plainQuery.call(this, { name, text, values }) as Promise<pg.QueryResult>).catch((error: unknown) =>
        retireOnStalePlan(connection, error),
      );
    }
  }
  return plainQuery.apply(this, args);
};

function stateOf(connection: object): { named: number; epoch: number } {
  let state = connections.get(connection);
  if (!state) {
    state = { named: 0, epoch: 0 };
    connections.set(connection, state);
  }
  return state;
}

/** The statement's name, or undefined when this connection has prepared as many as it may. */
function nameFor(connection: StatementCache, text: string): string | undefined {
  const state = stateOf(connection);
  const name = statementName(text, state.epoch);
  if (connection.parsedStatements[name] !== undefined) return name;
  if (state.named >= MAX_PER_CONNECTION) return undefined;
  state.named++;
  return name;
}

/**
 * After a schema change a prepared statement whose result columns changed cannot run any more. The
 * connection moves to a new epoch, so every statement is prepared afresh under a new name (the old ones
 * stay on the server until the connection closes); this call fails — its transaction is aborted
 * anyway — and the error handler answers 503 so the client retries.
 */
function retireOnStalePlan(connection: object, error: unknown): never {
  if (error instanceof Error && error.message.includes(STALE_PLAN)) stateOf(connection).epoch++;
  throw error;
}
