import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { requireStaff } from '../../auth/principal.js';
import type { AppDeps } from '../../container.js';
import { errorResponses } from '../../http/common.schemas.js';
import { AppError } from '../../shared/errors.js';
import { readFeedZip } from './gtfs-archive.js';
import {
  ImportParams,
  ImportRunListResponse,
  ImportRunResponse,
  LayoutChoiceSchema,
  ListImportsQuery,
  OrganizerParams,
  StartImportQuery,
} from './gtfs-import.schemas.js';
import type { LayoutChoice } from './gtfs-import.service.js';
import { GtfsImportRuns } from './gtfs-import-runs.service.js';

/** A whole national railway zips to a few MB; leave room for bus networks with shapes. */
const FEED_BODY_LIMIT = 200 * 1024 * 1024;
const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'];
const layoutChoice = Compile(LayoutChoiceSchema);

/**
 * GTFS import API, mounted under /api/admin: upload a feed (zip body) for an organizer, poll its run for
 * phase, counts and problems, list earlier runs. Staff import only for their own organizer.
 */
export const gtfsImportRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps; runs?: GtfsImportRuns }> = async (
  app,
  { deps, runs: given },
) => {
  const runs = given ?? new GtfsImportRuns(deps.database.db);
  app.addHook('onClose', () => runs.settle());
  app.addContentTypeParser(ZIP_TYPES, { parseAs: 'buffer', bodyLimit: FEED_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );
  const tags = ['admin: GTFS import'];
  const security = [{ bearerAuth: [] }];

  app.post(
    '/organizers/:id/gtfs-imports',
    {
      bodyLimit: FEED_BODY_LIMIT,
      schema: {
        tags,
        security,
        summary: 'Import a GTFS feed (zip body) for the organizer; answers the run to poll (202)',
        description:
          'Send the feed zip as the body with Content-Type `application/zip`. The whole feed is validated ' +
          'first: a feed with any error is `rejected` with every problem (file, line, field, message) and ' +
          'nothing is imported. Otherwise stops, one route per stop pattern and dated trips are written in ' +
          'one transaction. Re-importing with the same `feed` key updates what changed; trips with sales ' +
          'are never moved or deleted (listed in `result.keptTrips`). Poll the run at its Location.',
        params: OrganizerParams,
        querystring: StartImportQuery,
        // The zip arrives as a Buffer (checked below); the schema only documents it.
        body: Type.Unknown({ description: 'The GTFS feed: a zip file of .txt files (binary)' }),
        consumes: ZIP_TYPES,
        response: { 202: ImportRunResponse, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = requireStaff(request);
      const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
      if (!contentType || !ZIP_TYPES.includes(contentType) || !Buffer.isBuffer(request.body)) {
        throw new AppError(
          'request.unsupported_media_type',
          'Send the GTFS feed as a zip file (Content-Type application/zip)',
        );
      }
      const body = request.body;
      if (body.length < 4 || body[0] !== 0x50 || body[1] !== 0x4b) {
        throw new AppError('request.invalid', 'The body is not a zip archive; GTFS feeds are zip files', [
          { field: 'body', message: 'must be a zip archive' },
        ]);
      }
      const { from, to, feed, layoutId, layouts: layoutsJson, dryRun } = request.query;
      let layouts: LayoutChoice | undefined;
      if (layoutsJson !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(layoutsJson);
        } catch {
          parsed = undefined;
        }
        if (!layoutChoice.Check(parsed)) {
          throw new AppError(
            'request.invalid',
            'layouts must be JSON {"default", "routeTypes", "routes"} of layout ids',
            [{ field: 'querystring/layouts', message: 'must be a JSON object of layout ids' }],
          );
        }
        layouts = parsed as LayoutChoice;
      }
      if (layoutId !== undefined) layouts = { ...layouts, default: layoutId };
      const run = await runs.start(
        principal,
        (log) => readFeedZip(body, log),
        { organizerId: request.params.id, from, to, feedKey: feed, layouts, dryRun },
        'upload',
      );
      return reply
        .status(202)
        .header('location', `/api/admin/organizers/${request.params.id}/gtfs-imports/${run.id}`)
        .send(run);
    },
  );

  app.get(
    '/organizers/:id/gtfs-imports',
    {
      schema: {
        tags,
        security,
        summary: "The organizer's GTFS imports, newest first (problem lists left out; read one run for them)",
        params: OrganizerParams,
        querystring: ListImportsQuery,
        response: { 200: ImportRunListResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      imports: await runs.list(requireStaff(request), request.params.id, request.query.limit ?? 20),
    }),
  );

  app.get(
    '/organizers/:id/gtfs-imports/:importId',
    {
      schema: {
        tags,
        security,
        summary: 'One GTFS import: phase and counts while it runs, then its result and every problem',
        params: ImportParams,
        response: { 200: ImportRunResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const run = await runs.get(requireStaff(request), request.params.importId);
      if (run.organizerId !== request.params.id) throw new AppError('resource.not_found', 'GTFS import not found');
      return run;
    },
  );
};
