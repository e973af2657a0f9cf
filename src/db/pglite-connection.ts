import { EventEmitter } from 'node:events';
import { serialize } from 'pg-protocol';
import type { PgliteSession } from './pglite-session.js';
import { PreparingClient } from './prepared-statements.js';

type BackendMessage = { name: string };

/**
 * A node-postgres `Connection` stand-in that talks to an in-process PGlite.
 *
 * Why not `createPgConfig` from `@electric-sql/pglite/node-postgres` as is: its connection hands every
 * protocol message (Parse, Bind, Execute, Sync) to PGlite separately, and PGlite answers each with a
 * ReadyForQuery. After a failed statement node-postgres then sees ReadyForQuery messages it did not ask
 * for and drops the connection ("Connection terminated unexpectedly", then "unexpected rowDescription").
 * A real socket delivers the extended-protocol messages of one query as one batch ending in Sync; this
 * class does the same, so an error is answered once and the connection stays usable.
 * See docs/decisions/0003-pglite-through-node-postgres.md.
 */
export class PGliteConnection extends EventEmitter {
  _connecting = false;
  readonly stream = { destroy: () => this.end() };
  parsedStatements: Record<string, unknown> = {};
  submittedNamedStatements: Record<string, unknown> = {};
  private pending: Uint8Array[] = [];
  private queue: Promise<unknown>;

  constructor(private readonly session: PgliteSession) {
    super();
    this.queue = Promise.resolve();
  }

  async connect(): Promise<void> {
    this._connecting = true;
    process.nextTick(() => this.emit('readyForQuery'));
  }

  requestSsl(): void {}
  startup(): void {}
  cancel(): void {}
  password(): void {}
  ref(): void {}
  unref(): void {}

  query(text: string): void {
    this.send([serialize.query(text)]);
  }
  parse(config: Parameters<typeof serialize.parse>[0]): void {
    this.pending.push(serialize.parse(config));
  }
  bind(config: Parameters<typeof serialize.bind>[0]): void {
    this.pending.push(serialize.bind(config));
  }
  execute(config: Parameters<typeof serialize.execute>[0]): void {
    this.pending.push(serialize.execute(config));
  }
  describe(config: Parameters<typeof serialize.describe>[0]): void {
    this.pending.push(serialize.describe(config));
  }
  close(config: Parameters<typeof serialize.close>[0]): void {
    this.pending.push(serialize.close(config));
  }
  flush(): void {
    // node-postgres sends Flush only when it will not send Sync; deliver what is pending.
    this.pending.push(serialize.flush());
    this.send(this.takePending());
  }
  sync(): void {
    this.pending.push(serialize.sync());
    this.send(this.takePending());
  }
  sendCopyFromChunk(chunk: Buffer): void {
    this.send([serialize.copyData(chunk)]);
  }
  endCopyFrom(): void {
    this.send([serialize.copyDone()]);
  }
  sendCopyFail(message: string): void {
    this.send([serialize.copyFail(message)]);
  }

  /**
   * node-postgres ends a client after any failed `pool.query`, then builds a new client on this same
   * connection. Like a closed socket, ending rolls back an open transaction; the 'end' goes only to the
   * listeners of the client that asked, never to its successor.
   */
  end(): void {
    this.pending = [];
    const endListeners = this.listeners('end');
    for (const name of this.eventNames()) {
      if (name !== 'newListener') this.removeAllListeners(name);
    }
    this.queue = this.queue
      .then(async () => {
        if (this.session.inTransaction()) await this.session.execProtocol(serialize.query('ROLLBACK'));
      })
      .catch(() => undefined)
      .then(() => {
        for (const listener of endListeners) (listener as () => void).call(this);
      });
  }

  private takePending(): Uint8Array[] {
    const messages = this.pending;
    this.pending = [];
    return messages;
  }

  private send(messages: Uint8Array[]): void {
    const batch = Buffer.concat(messages);
    this.queue = this.queue
      .then(() => this.session.execProtocol(batch))
      .then((results: BackendMessage[]) => {
        for (const message of results) {
          this.emit(message.name === 'error' ? 'errorMessage' : message.name, message);
        }
      })
      .catch((error: unknown) => this.emit('error', error));
  }
}

/** node-postgres Pool options that route every client to the given PGlite. PGlite has one session, so max is 1. */
export function pglitePoolConfig(session: PgliteSession) {
  const connection = new PGliteConnection(session);
  return {
    host: 'localhost',
    port: 5432,
    user: 'postgres',
    password: 'pglite',
    database: 'postgres',
    max: 1,
    // node-postgres creates a new Client when one is discarded; every client reuses the one connection
    // (and its prepared statements, which belong to PGlite's one session).
    Client: PreparingClient,
    connection,
  };
}
