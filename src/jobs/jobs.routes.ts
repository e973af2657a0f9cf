import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAdmin, requireStaff } from '../auth/principal.js';
import { Id, Paging } from '../catalog/catalog.schemas.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { QUEUES } from './job-queue.js';
import { JobsService } from './jobs.service.js';

const tags = ['admin: jobs'];
const security = [{ bearerAuth: [] }];

const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
const QueueName = Type.Union(Object.values(QUEUES).map((queue) => Type.Literal(queue)));

const DeadLetterResponse = Type.Object({
  id: Type.String({ description: 'The dead letter (a job of the dead-letter queue)' }),
  queue: Type.String({ description: 'The queue the job failed on, where a retry puts it back' }),
  organizerId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()], { description: 'The error of its last attempt' }),
  deadSince: Type.String({ format: 'date-time' }),
});

/** /api/admin/jobs: queue sizes (admins), dead letters and their retry (staff: their organizer's). */
export const jobsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const jobs = new JobsService(deps.database.db, deps.clock);

  app.get(
    '/jobs/queues',
    {
      schema: {
        tags,
        security,
        summary: 'Jobs per queue and state, and dead letters waiting (platform admins)',
        response: {
          200: Type.Array(
            Type.Object({
              queue: Type.String(),
              states: Type.Record(Type.String(), Type.Integer()),
              deadLetters: Type.Integer(),
            }),
          ),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => {
      requireAdmin(request);
      return jobs.queueSizes();
    },
  );

  app.get(
    '/jobs/dead-letters',
    {
      schema: {
        tags,
        security,
        summary: 'Jobs whose last retry failed (staff: those about their organizer)',
        description:
          'Notifications that could not be sent, webhook deliveries an endpoint never accepted, payments that ' +
          'could not be reconciled. Each keeps the data it ran with and the error of its last attempt.',
        querystring: Type.Object(
          { organizerId: Type.Optional(Id), queue: Type.Optional(QueueName), ...Paging },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(DeadLetterResponse), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { organizerId, queue, limit = 100, offset = 0 } = request.query;
      return jobs.listDeadLetters(requireStaff(request), {
        ...(organizerId !== undefined ? { organizerId } : {}),
        ...(queue !== undefined ? { queue } : {}),
        limit,
        offset,
      });
    },
  );

  app.post(
    '/jobs/dead-letters/:id/retry',
    {
      schema: {
        tags,
        security,
        summary: 'Put a dead letter back on its queue, with a fresh set of retries',
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        response: {
          202: Type.Object({ id: Type.String(), queue: Type.String(), jobId: Type.String() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await jobs.retryDeadLetter(requireStaff(request), request.params.id)),
  );
};
