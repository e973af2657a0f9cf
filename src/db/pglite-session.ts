import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';

/**
 * The embedded database's one PostgreSQL session, as the node-postgres stand-in (pglite-connection.ts)
 * uses it: batches of wire-protocol messages in, backend messages out. Two ways to run it:
 *
 * - `worker` (the default): PGlite runs on a worker thread of its own. Its WebAssembly work — a third or
 *   more of the server's CPU at an on-sale — no longer blocks the thread that serves HTTP, so an embedded
 *   Boxoffice uses two cores, and health checks and static pages are answered while a long import runs.
 * - `main`: PGlite in the server's own thread (PGLITE_THREAD=main), as before.
 *
 * See docs/decisions/0018-pglite-on-a-worker-thread.md.
 */
export interface PgliteSession {
  /** Runs a batch of protocol messages (ending in Sync or a simple Query) and answers the replies. */
  execProtocol(batch: Uint8Array): Promise<BackendMessage[]>;
  /** Whether the session is inside a transaction block, as the last ReadyForQuery said. */
  inTransaction(): boolean;
  close(): Promise<void>;
}

export interface PgliteSessionOptions {
  /** Folder of the database files; undefined = in memory. */
  dataDir?: string | undefined;
  /** Start from this dump of a data folder (tests start from a migrated snapshot). */
  snapshot?: Blob | undefined;
}

/** A session on a PGlite in this thread. */
export function inThreadSession(pglite: PGlite): PgliteSession {
  return {
    execProtocol: (batch) => pglite.execProtocolStream(batch, { throwOnError: false }),
    inTransaction: () => pglite.isInTransaction(),
    close: () => pglite.close(),
  };
}

/**
 * The worker's code. It is evaluated from this string, so it runs the same from TypeScript sources (tsx,
 * Vitest) and from a build, with nothing to compile or copy; the modules it loads are resolved here and
 * passed as file URLs.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  let pglite;
  try {
    const { PGlite } = await import(workerData.modules.pglite);
    const { btree_gist } = await import(workerData.modules.btreeGist);
    const { pg_trgm } = await import(workerData.modules.pgTrgm);
    pglite = await PGlite.create({
      dataDir: workerData.dataDir,
      ...(workerData.snapshot ? { loadDataDir: new Blob([workerData.snapshot]) } : {}),
      extensions: { btree_gist, pg_trgm },
    });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', message: String((error && error.message) || error) });
    return;
  }
  parentPort.postMessage({ type: 'ready' });
  parentPort.on('message', async (message) => {
    if (message.type === 'exec') {
      try {
        // A copy: the answer may be a view of PGlite's WebAssembly memory, which must never be transferred.
        const out = (await pglite.execProtocolRaw(message.batch)).slice();
        parentPort.postMessage({ type: 'result', id: message.id, out }, [out.buffer]);
      } catch (error) {
        parentPort.postMessage({ type: 'error', id: message.id, message: String((error && error.message) || error) });
      }
    } else if (message.type === 'close') {
      try { await pglite.close(); } finally { parentPort.postMessage({ type: 'closed' }); }
    }
  });
})();
`;

type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; out: Uint8Array }
  | { type: 'error'; id: number; message: string }
  | { type: 'closed' };

function moduleUrls(): Record<'pglite' | 'btreeGist' | 'pgTrgm', string> {
  const require = createRequire(import.meta.url);
  const url = (specifier: string) => pathToFileURL(require.resolve(specifier)).href;
  return {
    pglite: url('@electric-sql/pglite'),
    btreeGist: url('@electric-sql/pglite/contrib/btree_gist'),
    pgTrgm: url('@electric-sql/pglite/contrib/pg_trgm'),
  };
}

/** Starts PGlite on a worker thread; resolves once the database is open (or rejects with why not). */
export async function startWorkerSession(options: PgliteSessionOptions): Promise<PgliteSession> {
  const snapshot = options.snapshot ? new Uint8Array(await options.snapshot.arrayBuffer()) : undefined;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { modules: moduleUrls(), dataDir: options.dataDir, snapshot },
    ...(snapshot ? { transferList: [snapshot.buffer as ArrayBuffer] } : {}),
  });
  const pending = new Map<number, { resolve(out: Uint8Array): void; reject(error: Error): void }>();
  let nextId = 1;
  let stopped: Error | undefined;
  let closed: (() => void) | undefined;
  const failAll = (error: Error) => {
    stopped ??= error;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const onReply = (reply: WorkerReply) => {
      switch (reply.type) {
        case 'ready':
          resolve();
          break;
        case 'failed':
          reject(new Error(`The embedded database could not start: ${reply.message}`));
          void worker.terminate();
          break;
        case 'result':
          pending.get(reply.id)?.resolve(reply.out);
          pending.delete(reply.id);
          break;
        case 'error':
          pending.get(reply.id)?.reject(new Error(reply.message));
          pending.delete(reply.id);
          break;
        case 'closed':
          closed?.();
          break;
      }
    };
    worker.on('message', onReply);
    worker.on('error', (error) => {
      failAll(new Error(`The embedded database stopped: ${error.message}`, { cause: error }));
      reject(error);
    });
    worker.on('exit', (code) => {
      failAll(new Error(`The embedded database stopped (worker exit code ${code})`));
      closed?.();
      reject(new Error(`The embedded database worker exited with code ${code}`));
    });
  });

  // One parser for the session's life: it keeps no state between complete answers, which these are.
  const parser = new Parser();
  let status = 'I';
  return {
    async execProtocol(batch) {
      if (stopped) throw stopped;
      const id = nextId++;
      const out = await new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'exec', id, batch });
      });
      const messages: BackendMessage[] = [];
      parser.parse(Buffer.from(out.buffer, out.byteOffset, out.byteLength), (message) => {
        messages.push(message);
        if (message.name === 'readyForQuery') status = (message as unknown as { status: string }).status;
      });
      return messages;
    },
    inTransaction: () => status !== 'I',
    async close() {
      if (stopped) return;
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage({ type: 'close' });
      });
      stopped = new Error('The embedded database is closed');
      await worker.terminate();
    },
  };
}
