import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm start` (bin/build-web.mjs) puts the built web app: web/dist beside src/ (or dist/). */
export const DEFAULT_WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** The built web app's folder when it has been built, else undefined (the server then serves the API only). */
export function findBuiltWebApp(root = DEFAULT_WEB_ROOT): string | undefined {
  return fs.existsSync(path.join(root, 'index.html')) ? root : undefined;
}

/**
 * The Content-Security-Policy of the web app's pages: its own scripts, styles, images and API only — no
 * inline script, no other origin. (Swagger UI and the pay page keep their own policy in app.ts.)
 */
export const WEB_APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data: blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "worker-src 'self'",
].join(';');

/** Paths that belong to the server, never to the web app: an unknown one stays a JSON 404. */
const SERVER_PREFIXES = ['/api/', '/pay/', '/healthz', '/readyz', '/metrics', '/assets/'];

function isServerPath(url: string): boolean {
  const pathname = url.split('?')[0]!;
  return pathname === '/api' || SERVER_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/**
 * Serves the built web app at `/`: hashed files under /assets/ cached for a year, everything else
 * revalidated; any other GET that is not a server path and not a file gets index.html, so the browser
 * router can show deep links (/events/evt_…) after a reload.
 */
export async function registerWebApp(app: FastifyInstance, root: string): Promise<void> {
  const indexHtml = fs.readFileSync(path.join(root, 'index.html'));
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per built file (the build does not change under a running server); the SPA fallback
    // below is the only catch-all.
    wildcard: false,
    index: false,
    setHeaders: (reply, filePath) => {
      reply.header(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });

  const sendApp = (reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', WEB_APP_CONTENT_SECURITY_POLICY)
      .send(indexHtml);

  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendApp(reply));
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    // A file name (a dot in the last segment) that was not found is a 404, not the app.
    const last = request.url.split('?')[0]!.split('/').pop() ?? '';
    if (isServerPath(request.url) || last.includes('.')) return reply.callNotFound();
    return sendApp(reply);
  });
}
