import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../container.js';

export const couponAdminRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async () => {};
