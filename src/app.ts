import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { catalogAdminRoutes } from './catalog/catalog-admin.routes.js';
import { eventRoutes } from './catalog/event.routes.js';
import type { AppDeps } from './container.js';
import { authRoutes } from './auth/auth.routes.js';
import { registerPrincipal } from './auth/principal.js';
import { userAdminRoutes } from './auth/user-admin.routes.js';
import { bookingRoutes } from './booking/booking.routes.js';
import { cancellationRoutes } from './booking/cancellation.routes.js';
import { couponAdminRoutes } from './coupons/coupon-admin.routes.js';
import { paymentRoutes } from './payments/payment.routes.js';
import { staffOrAdminGuard } from './http/admin-auth.js';
import { ErrorResponse } from './http/common.schemas.js';
import { registerErrorHandling } from './http/error-handler.js';
import { validatorCompiler } from './http/validation.js';
import { registerWebApp } from './http/web-app.js';
import { holdRoutes } from './inventory/hold.routes.js';
import { backgroundAdminRoutes } from './jobs/background-admin.routes.js';
import { gtfsImportRoutes } from './transport/gtfs/gtfs-import.routes.js';
import { seatStreamRoutes } from './realtime/seat-stream.routes.js';
import { reportingRoutes } from './reporting/reporting.routes.js';
import { orderAdminRoutes } from './booking/order-admin.routes.js';
import { transportAdminRoutes } from './transport/transport-admin.routes.js';
import { tripRoutes } from './transport/trip.routes.js';

/** helmet's default policy, except that Swagger UI needs inline scripts and styles. */
const HTML_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self' 'unsafe-inline'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline' https:",
  'upgrade-insecure-requests',
].join(';');

export interface BuildAppOptions {
  /** pino logger options, or false for none (tests). */
  logger?: boolean | object;
  /** Folder of the built web app to serve at `/` (web/dist); none: the API only. */
  webRoot?: string | undefined;
}

/** Builds the Fastify app from its dependencies; does not listen (tests use inject or a real port). */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // One line per request only when debugging; errors are always logged by the error handler.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app);
  app.addSchema(ErrorResponse);

  // helmet's headers on every reply; the Content-Security-Policy only on HTML pages (Swagger UI, the pay
  // page), where it matters — computing it for every JSON reply cost ~3 % of a hold request's CPU.
  await app.register(helmet, { contentSecurityPolicy: false });
  app.addHook('onSend', async (_request, reply, payload) => {
    // The web app's pages set their own, stricter policy (src/http/web-app.ts).
    if (
      String(reply.getHeader('content-type') ?? '').startsWith('text/html') &&
      !reply.hasHeader('content-security-policy')
    ) {
      reply.header('content-security-policy', HTML_CONTENT_SECURITY_POLICY);
    }
    return payload;
  });
  // A 40,000-seat map is several MB of JSON; gzip/brotli shrink it about tenfold. Small replies stay plain.
  await app.register(compress, { global: true, threshold: 4096, encodings: ['br', 'gzip'] });
  await app.register(rateLimit, {
    global: false,
    ...(deps.redis ? { redis: deps.redis, nameSpace: 'bo:ratelimit:' } : {}),
    skipOnError: true,
  });

  await registerPrincipal(app, deps.jwtSecret);

  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Boxoffice API',
        version: '0.1.0',
        description:
          'Reserved seats for shows and segment seats on bus and train trips, one engine. ' +
          'Errors always have the shape `{ "error": { "code", "message", "details" } }`.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const [database, holds] = await Promise.all([
      deps.database.db
        .selectFrom('settings')
        .select('key')
        .limit(1)
        .execute()
        .then(() => true)
        .catch(() => false),
      deps.holdStore.ping(),
    ]);
    const ready = database && holds;
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'unavailable', database, holdStore: { name: deps.holdStore.name, ok: holds } });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );

  await app.register(
    async (api) => {
      await api.register(holdRoutes, {
        holdService: deps.holdService,
        clock: deps.clock,
        maxLifetimeSeconds: config.holdMaxLifetimeSeconds,
        rateLimitPerMinute: config.holdRateLimitPerMinute,
      });
      await api.register(eventRoutes, { deps });
      await api.register(tripRoutes, { deps });
      await api.register(seatStreamRoutes, { deps });
      await api.register(authRoutes, { deps });
      await api.register(bookingRoutes, { deps });
      await api.register(cancellationRoutes, { deps });
      await api.register(
        async (admin) => {
          admin.addHook('onRequest', staffOrAdminGuard);
          await admin.register(userAdminRoutes, { deps });
          await admin.register(catalogAdminRoutes, { deps });
          await admin.register(transportAdminRoutes, { deps });
          await admin.register(gtfsImportRoutes, { deps });
          await admin.register(couponAdminRoutes, { deps });
          await admin.register(backgroundAdminRoutes, { deps });
          await admin.register(reportingRoutes, { deps });
          await admin.register(orderAdminRoutes, { deps });
        },
        { prefix: '/admin' },
      );
    },
    { prefix: '/api' },
  );

  // Payments live at the root: /api/payments and /api/webhooks/*, and the fake gateway's hosted pay page.
  await app.register(paymentRoutes, { deps });

  if (options.webRoot) await registerWebApp(app, options.webRoot);

  return app;
}
