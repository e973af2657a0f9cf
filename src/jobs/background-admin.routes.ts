import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../container.js';
import { mailboxRoutes } from '../notifications/mailbox.routes.js';
import { notificationRoutes } from '../notifications/notification.routes.js';
import { webhookRoutes } from '../webhooks/webhook.routes.js';
import { jobsRoutes } from './jobs.routes.js';

/**
 * Staff routes of background work, registered in the /api/admin scope as one plugin: dead letters, the
 * local mailbox, organizer webhooks, and an order's messages (with "resend tickets").
 */
export const backgroundAdminRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  await app.register(jobsRoutes, { deps });
  await app.register(mailboxRoutes, { deps });
  await app.register(webhookRoutes, { deps });
  await app.register(notificationRoutes, { deps });
};
