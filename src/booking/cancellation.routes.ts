import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../container.js';

export const cancellationRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async () => {};
