import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../container.js';
import { eventAdminRoutes } from './event-admin.routes.js';
import { EventAdminService } from './event-admin.service.js';
import { organizerRoutes } from './organizer.routes.js';
import { showScheduleRoutes } from './show-schedule.routes.js';
import { OrganizerService } from './organizer.service.js';
import { venueRoutes } from './venue.routes.js';
import { VenueService } from './venue.service.js';

/** The catalog admin API under /api/admin (app.ts lets in staff and admins only): organizers, venues, events. */
export const catalogAdminRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { db } = deps.database;
  await app.register(organizerRoutes, { organizers: new OrganizerService(db) });
  await app.register(venueRoutes, { venues: new VenueService(db) });
  await app.register(eventAdminRoutes, { events: new EventAdminService({ db, holdService: deps.holdService }) });
  await app.register(showScheduleRoutes, { db });
};
