import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import {
  AccountResponse,
  ChangePasswordBody,
  LoginBody,
  RefreshBody,
  RegisterBody,
  SessionResponse,
  UpdateMeBody,
} from './auth.schemas.js';
import { AuthService, type Account, type Session } from './auth.service.js';
import { ACCESS_TOKEN_TTL_SECONDS, requireUser, signAccessToken } from './principal.js';

export const bearerSecurity = [{ bearerAuth: [] }];

export function presentAccount(account: Account): AccountResponse {
  return { ...account, createdAt: account.createdAt.toISOString(), updatedAt: account.updatedAt.toISOString() };
}

function presentSession(app: FastifyInstance, session: Session): SessionResponse {
  const { account } = session;
  return {
    user: presentAccount(account),
    accessToken: signAccessToken(app, { userId: account.id, role: account.role, organizerId: account.organizerId }),
    accessTokenExpiresIn: ACCESS_TOKEN_TTL_SECONDS,
    refreshToken: session.refreshToken,
    refreshTokenExpiresAt: session.refreshTokenExpiresAt.toISOString(),
  };
}

/** /api/auth/* (register, login, refresh, logout) and /api/me (the caller's account). */
export const authRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const auth = new AuthService({ db: deps.database.db, clock: deps.clock });
  // Per client address: slows password guessing and mass registration without bothering anyone else.
  const rateLimit = { max: deps.config.authRateLimitPerMinute, timeWindow: 60_000 };
  const tags = ['accounts'];

  app.post(
    '/auth/register',
    {
      config: { rateLimit },
      schema: {
        tags,
        summary: 'Create a customer account and log in',
        description: '409 `auth.email_taken` when the email already has an account.',
        body: RegisterBody,
        response: { 201: SessionResponse, ...errorResponses(400, 409, 429) },
      },
    },
    async (request, reply) => reply.status(201).send(presentSession(app, await auth.register(request.body))),
  );

  app.post(
    '/auth/login',
    {
      config: { rateLimit },
      schema: {
        tags,
        summary: 'Log in: a 15-minute access token and a single-use refresh token (30 days)',
        description:
          'A wrong password and an unknown email both answer 401 `auth.invalid_credentials` with the same ' +
          'message, so the answer never says whether an account exists.',
        body: LoginBody,
        response: { 200: SessionResponse, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => presentSession(app, await auth.login(request.body.email, request.body.password)),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new access token and a new refresh token',
        description:
          'Each refresh token works once. Presenting one that was already exchanged revokes every token of ' +
          'that login (it was copied), and answers 401 `auth.refresh_token_invalid`.',
        body: RefreshBody,
        response: { 200: SessionResponse, ...errorResponses(400, 401) },
      },
    },
    async (request) => presentSession(app, await auth.refresh(request.body.refreshToken)),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'Log out: revoke a refresh token (access tokens expire by themselves within 15 minutes)',
        body: RefreshBody,
        response: { 204: Type.Null(), ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      await auth.logout(request.body.refreshToken);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'The account of the caller',
        response: { 200: AccountResponse, ...errorResponses(401) },
      },
    },
    async (request) => presentAccount(await auth.getAccount(requireUser(request).userId)),
  );

  app.patch(
    '/me',
    {
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Change name, language, phone and notification choices',
        description: '`phone: null` removes the phone number; text messages (`notifySms`) need one.',
        body: UpdateMeBody,
        response: { 200: AccountResponse, ...errorResponses(400, 401) },
      },
    },
    async (request) => presentAccount(await auth.updateAccount(requireUser(request).userId, request.body)),
  );

  app.post(
    '/me/password',
    {
      config: { rateLimit },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Change the password: every refresh token of the account is revoked, a new session starts',
        description: 'A wrong current password answers 403 `auth.current_password_invalid`.',
        body: ChangePasswordBody,
        response: { 200: SessionResponse, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const session = await auth.changePassword(userId, request.body.currentPassword, request.body.newPassword);
      return presentSession(app, session);
    },
  );
};
