import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStaff } from '../auth/principal.js';
import { IdParams } from '../catalog/catalog.schemas.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { organizerCancellationRoutes } from '../booking/organizer-cancellation.routes.js';
import { refundPolicyRoutes } from '../booking/refund-policy.routes.js';
import { CouponResponse, CreateCouponBody, ListCouponsQuery, UpdateCouponBody } from './coupon.schemas.js';
import { CouponService, type Coupon } from './coupon.service.js';

const tags = ['admin: coupons'];
const security = [{ bearerAuth: [] }];

function present(coupon: Coupon): CouponResponse {
  return {
    ...coupon,
    validFrom: coupon.validFrom?.toISOString() ?? null,
    validTo: coupon.validTo?.toISOString() ?? null,
    createdAt: coupon.createdAt.toISOString(),
    updatedAt: coupon.updatedAt.toISOString(),
  };
}

/**
 * /api/admin/coupons (staff of the coupon's organizer, or an admin), and — registered here so the admin
 * scope in app.ts needs no change — refund policies and organizer cancellations of events and trips.
 */
export const couponAdminRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const coupons = new CouponService(deps.database.db);
  await app.register(refundPolicyRoutes, { db: deps.database.db });
  await app.register(organizerCancellationRoutes, { deps });

  app.post(
    '/coupons',
    {
      schema: {
        tags,
        security,
        summary: 'Create a coupon: percentage or fixed amount, with validity, caps and scope',
        description:
          'A percentage is whole percent (1..100) of each in-scope line, rounded half up per line; a fixed amount ' +
          'is in minor units, spread over in-scope lines and never more than they cost. Empty scope lists mean ' +
          'all events/trips/categories of the organizer. 409 `coupon.code_taken` when the code (case-insensitive) ' +
          'exists for the organizer.',
        body: CreateCouponBody,
        response: { 201: CouponResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await coupons.createCoupon(requireStaff(request), request.body))),
  );

  app.get(
    '/coupons',
    {
      schema: {
        tags,
        security,
        summary: 'List coupons with usage counts (staff: their organizer only)',
        querystring: ListCouponsQuery,
        response: { 200: Type.Array(CouponResponse), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 100, offset = 0, organizerId, active } = request.query;
      const list = await coupons.listCoupons(requireStaff(request), {
        ...(organizerId !== undefined ? { organizerId } : {}),
        ...(active !== undefined ? { active } : {}),
        limit,
        offset,
      });
      return list.map(present);
    },
  );

  app.get(
    '/coupons/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One coupon with its usage',
        params: IdParams,
        response: { 200: CouponResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => present(await coupons.getCoupon(requireStaff(request), request.params.id)),
  );

  app.patch(
    '/coupons/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a coupon; `active: false` deactivates it',
        description: 'The cap cannot go below the redemptions already counted (409 `coupon.redeemed`).',
        params: IdParams,
        body: UpdateCouponBody,
        response: { 200: CouponResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => present(await coupons.updateCoupon(requireStaff(request), request.params.id, request.body)),
  );

  app.delete(
    '/coupons/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a coupon no order has used (409 `coupon.redeemed` otherwise: deactivate it)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await coupons.deleteCoupon(requireStaff(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
