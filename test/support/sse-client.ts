import { fetch } from 'undici';

/** One Server-Sent Events message as a browser's EventSource would see it. */
export interface SseMessage {
  id: string;
  event: string;
  data: string;
  /** When it arrived (Date.now()). */
  receivedAt: number;
}

/**
 * A minimal EventSource over undici's streaming fetch: real HTTP, the response read as it arrives,
 * messages parsed by the text/event-stream rules (fields, blank line ends a message, `:` comments).
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  comments = 0;
  lastEventId = '';
  private waiters: { test: (m: SseMessage) => boolean; resolve: (m: SseMessage) => void }[] = [];
  private ended = false;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly abort: AbortController,
  ) {}

  /** Opens a stream; resolves once the response headers arrived (the body keeps being read). */
  static async open(url: string, options: { lastEventId?: string; headers?: Record<string, string> } = {}) {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: {
        accept: 'text/event-stream',
        ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
        ...options.headers,
      },
      signal: abort.signal,
    });
    const client = new SseClient(response.status, response.headers as unknown as Headers, abort);
    if (response.body) void client.read(response.body as unknown as ReadableStream<Uint8Array>);
    return client;
  }

  /** The first message (already received or still to come) that passes `test`. */
  next(test: (message: SseMessage) => boolean = () => true, timeoutMs = 5000): Promise<SseMessage> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  /** The next `seats` message whose changes include this seat in this status. */
  nextChange(seatId: string, status: string, timeoutMs = 5000): Promise<SseMessage> {
    return this.next(
      (m) =>
        m.event === 'seats' && (JSON.parse(m.data) as { changes: Record<string, string> }).changes[seatId] === status,
      timeoutMs,
    );
  }

  close(): void {
    this.abort.abort();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let current: { id?: string; event?: string; data: string[] } = { data: [] };
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.data.length > 0) this.dispatch(current);
            current = { data: [] };
          } else if (line.startsWith(':')) {
            this.comments += 1;
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') current.data.push(value);
            else if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
          }
        }
      }
    } catch {
      // Aborted by close(), or the server went away.
    }
    this.ended = true;
  }

  private dispatch(raw: { id?: string; event?: string; data: string[] }): void {
    if (raw.id !== undefined) this.lastEventId = raw.id;
    const message: SseMessage = {
      id: this.lastEventId,
      event: raw.event ?? 'message',
      data: raw.data.join('\n'),
      receivedAt: Date.now(),
    };
    this.messages.push(message);
    const ready = this.waiters.filter((waiter) => waiter.test(message));
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve(message);
  }
}

/** A client's view of seat statuses, built as the web app builds it: snapshot replaces, seats merges. */
export function seatViewOf(messages: readonly SseMessage[]): Map<string, string> {
  const view = new Map<string, string>();
  for (const message of messages) {
    const data = JSON.parse(message.data) as { seats?: Record<string, string>; changes?: Record<string, string> };
    if (message.event === 'snapshot') {
      view.clear();
      for (const [id, status] of Object.entries(data.seats ?? {})) view.set(id, status);
    } else if (message.event === 'seats') {
      for (const [id, status] of Object.entries(data.changes ?? {})) {
        if (status === 'available') view.delete(id);
        else view.set(id, status);
      }
    }
  }
  return view;
}
