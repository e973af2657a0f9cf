import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 for tests; it can refuse the first deliveries with a temporary error. */
export interface TestSmtpServer {
  url: string;
  /** Raw messages accepted, in order. */
  messages: Buffer[];
  /** Every DATA attempt, refused ones included. */
  attempts(): number;
  /** Refuse every delivery from now on (true) or accept them (false). */
  setRefusing(refusing: boolean): void;
  close(): Promise<void>;
}

export async function startSmtpServer(options: { refuseFirst?: number } = {}): Promise<TestSmtpServer> {
  const messages: Buffer[] = [];
  let attempts = 0;
  let refusing = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        attempts += 1;
        if (refusing || attempts <= (options.refuseFirst ?? 0)) {
          const error = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
          callback(error);
          return;
        }
        messages.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    attempts: () => attempts,
    setRefusing: (value) => {
      refusing = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
