import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireStaff } from '../auth/principal.js';
import { errorResponses } from '../http/common.schemas.js';
import { AppError } from '../shared/errors.js';
import { IdParams } from './catalog.schemas.js';
import { layoutToCsv, layoutToJson } from './layout-export.js';
import {
  CreateVenueBody,
  ExportLayoutQuery,
  ImportLayoutQuery,
  LayoutImportResponse,
  ListVenuesQuery,
  UpdateVenueBody,
  VenueResponse,
} from './venue.schemas.js';
import type { LayoutUpload, Venue, VenueService } from './venue.service.js';

const tags = ['admin: venues'];
const security = [{ bearerAuth: [] }];

/** A 40,000-seat stadium with every seat listed explicitly is a few MB; leave room for generous files. */
const LAYOUT_BODY_LIMIT = 20 * 1024 * 1024;

function present(venue: Venue): VenueResponse {
  return { ...venue, createdAt: venue.createdAt.toISOString(), updatedAt: venue.updatedAt.toISOString() };
}

/** The uploaded file by its Content-Type (the body parsers have already read it). */
function layoutUploadOf(request: FastifyRequest, layoutName: string | undefined): LayoutUpload {
  const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType === 'text/csv') {
    return { format: 'csv', text: String(request.body ?? ''), ...(layoutName ? { name: layoutName } : {}) };
  }
  if (contentType === 'application/json') return { format: 'json', document: request.body };
  throw new AppError('request.unsupported_media_type', 'Send the layout as application/json or text/csv');
}

/** /api/admin/venues: venues, and their seat layouts imported from and exported to JSON or CSV. */
export const venueRoutes: FastifyPluginAsyncTypebox<{ venues: VenueService }> = async (app, options) => {
  const { venues } = options;

  // CSV arrives as text; the route's body limit applies to it as to JSON.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post(
    '/venues',
    {
      schema: {
        tags,
        security,
        summary: 'Create a venue (without a seat layout until one is imported)',
        body: CreateVenueBody,
        response: { 201: VenueResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await venues.createVenue(requireStaff(request), request.body))),
  );

  app.get(
    '/venues',
    {
      schema: {
        tags,
        security,
        summary: 'List venues by name, optionally of one organizer or in one city',
        querystring: ListVenuesQuery,
        response: { 200: Type.Array(VenueResponse), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 100, offset = 0, ...filter } = request.query;
      return (await venues.listVenues(requireStaff(request), { ...filter, limit, offset })).map(present);
    },
  );

  app.get(
    '/venues/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One venue',
        params: IdParams,
        response: { 200: VenueResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => present(await venues.getVenue(requireStaff(request), request.params.id)),
  );

  app.patch(
    '/venues/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a venue (its layout changes only by a new import)',
        params: IdParams,
        body: UpdateVenueBody,
        response: { 200: VenueResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => present(await venues.updateVenue(requireStaff(request), request.params.id, request.body)),
  );

  app.delete(
    '/venues/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a venue that has no events',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await venues.deleteVenue(requireStaff(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/venues/:id/layout',
    {
      bodyLimit: LAYOUT_BODY_LIMIT,
      schema: {
        tags,
        security,
        summary: 'Import a seat layout (JSON or CSV) as the venue’s new current layout',
        description:
          'Content-Type `application/json`: `{ name, sections: [{ name, category?, sections?, rows?: [{ name, ' +
          'category?, seats }] }], gaAreas?: [{ name, category, capacity, x?, y? }] }` where `seats` is a list of ' +
          '`{ label, category?, x, y, flags? }` or a range spec ("18" = seats 1..18, "1-10,12-16" = no seat 11) ' +
          'drawn automatically. Content-Type `text/csv`: header `section,row,seat,category,x,y,flags` (plus an ' +
          'optional `capacity` column for general-admission areas); `section` may be a path like `West/1` or ' +
          '`West > 1`; flags are separated by `|` or `;`. An invalid file answers 400 `layout.invalid` with ' +
          '`details.problems` listing every problem ({ line | path, field, message }) and imports nothing. ' +
          'Events created earlier keep their layout.',
        consumes: ['application/json', 'text/csv'],
        params: IdParams,
        querystring: ImportLayoutQuery,
        response: { 201: LayoutImportResponse, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const upload = layoutUploadOf(request, request.query.name);
      const imported = await venues.importLayout(requireStaff(request), request.params.id, upload);
      return reply.status(201).send(imported);
    },
  );

  app.get(
    '/venues/:id/layout',
    {
      schema: {
        tags,
        security,
        summary: 'Export the venue’s current seat layout as JSON (default) or CSV, ready to edit and import again',
        produces: ['application/json', 'text/csv'],
        params: IdParams,
        querystring: ExportLayoutQuery,
        response: {
          200: Type.Unknown({ description: 'The layout in the import format asked for' }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const contents = await venues.readCurrentLayout(requireStaff(request), request.params.id);
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${contents.layout.id}.csv"`)
          .send(layoutToCsv(contents));
      }
      return reply.type('application/json; charset=utf-8').send(layoutToJson(contents));
    },
  );
};
