import http from 'node:http';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An HTTP endpoint that receives organizer webhooks and answers with the status it is told to. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status for the next requests (a function gets the request number, from 1). */
  answer(status: number | ((n: number) => number)): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status: number | ((n: number) => number) = 200;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const code = typeof status === 'function' ? status(received.length) : status;
      response.writeHead(code, { 'content-type': 'text/plain' }).end(code < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/boxoffice`,
    received,
    answer: (value) => {
      status = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
