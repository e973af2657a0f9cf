import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { bearerSecurity, presentAccount } from './auth.routes.js';
import { AccountResponse, CreateAccountBody, ListAccountsQuery } from './auth.schemas.js';
import { requireStaff } from './principal.js';
import { UserAdminService } from './user-admin.service.js';

/** /api/admin/users: organizer staff and platform admins (customers register themselves). */
export const userAdminRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const users = new UserAdminService(deps.database.db);
  const tags = ['admin: users'];

  app.post(
    '/users',
    {
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Create an organizer staff account or a platform admin',
        description:
          'Admins create admins and staff of any organizer; staff create staff of their own organizer ' +
          '(`organizerId` defaults to it). Another organizer answers 404.',
        body: CreateAccountBody,
        response: { 201: AccountResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentAccount(await users.createAccount(requireStaff(request), request.body))),
  );

  app.get(
    '/users',
    {
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Accounts by email: every account for admins, their organizer’s staff for staff',
        querystring: ListAccountsQuery,
        response: { 200: Type.Array(AccountResponse), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 100, offset = 0, ...filter } = request.query;
      return (await users.listAccounts(requireStaff(request), { ...filter, limit, offset })).map(presentAccount);
    },
  );
};
