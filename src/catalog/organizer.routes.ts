import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStaff } from '../auth/principal.js';
import { errorResponses } from '../http/common.schemas.js';
import { IdParams } from './catalog.schemas.js';
import {
  CreateOrganizerBody,
  ListOrganizersQuery,
  OrganizerResponse,
  UpdateOrganizerBody,
} from './organizer.schemas.js';
import type { Organizer, OrganizerService } from './organizer.service.js';

const tags = ['admin: organizers'];
const security = [{ bearerAuth: [] }];

function present(organizer: Organizer): OrganizerResponse {
  return { ...organizer, createdAt: organizer.createdAt.toISOString(), updatedAt: organizer.updatedAt.toISOString() };
}

/** /api/admin/organizers: the sellers, each with a currency and a time zone. */
export const organizerRoutes: FastifyPluginAsyncTypebox<{ organizers: OrganizerService }> = async (app, options) => {
  const { organizers } = options;

  app.post(
    '/organizers',
    {
      schema: {
        tags,
        security,
        summary: 'Create an organizer (platform admins only)',
        description:
          'The slug defaults to one made from the name. Currency is an ISO 4217 code, timezone an IANA zone.',
        body: CreateOrganizerBody,
        response: { 201: OrganizerResponse, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await organizers.createOrganizer(requireStaff(request), request.body))),
  );

  app.get(
    '/organizers',
    {
      schema: {
        tags,
        security,
        summary: 'List organizers by name (staff see their own)',
        querystring: ListOrganizersQuery,
        response: { 200: Type.Array(OrganizerResponse), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 100, offset = 0 } = request.query;
      return (await organizers.listOrganizers(requireStaff(request), { limit, offset })).map(present);
    },
  );

  app.get(
    '/organizers/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One organizer',
        params: IdParams,
        response: { 200: OrganizerResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => present(await organizers.getOrganizer(requireStaff(request), request.params.id)),
  );

  app.patch(
    '/organizers/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change an organizer',
        description: 'The currency cannot change once the organizer has events or routes (409 resource.in_use).',
        params: IdParams,
        body: UpdateOrganizerBody,
        response: { 200: OrganizerResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      present(await organizers.updateOrganizer(requireStaff(request), request.params.id, request.body)),
  );

  app.delete(
    '/organizers/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an organizer that has nothing left (platform admins only)',
        description: 'Refused with 409 resource.in_use while it has venues, events, stops, routes or trips.',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await organizers.deleteOrganizer(requireStaff(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
