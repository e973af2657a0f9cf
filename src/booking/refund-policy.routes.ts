import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStaff } from '../auth/principal.js';
import { IdParams } from '../catalog/catalog.schemas.js';
import type { Db } from '../db/client.js';
import { errorResponses } from '../http/common.schemas.js';
import {
  CreateRefundPolicyBody,
  ListRefundPoliciesQuery,
  RefundPolicyResponse,
  UpdateRefundPolicyBody,
} from './refund-policy.schemas.js';
import { RefundPolicyService, type RefundPolicy } from './refund-policy.service.js';

const tags = ['admin: refund policies'];
const security = [{ bearerAuth: [] }];

function present(policy: RefundPolicy): RefundPolicyResponse {
  return { ...policy, createdAt: policy.createdAt.toISOString(), updatedAt: policy.updatedAt.toISOString() };
}

/** /api/admin/refund-policies: an organizer's default refund policy and per-event or per-route overrides. */
export const refundPolicyRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const policies = new RefundPolicyService(db);

  app.post(
    '/refund-policies',
    {
      schema: {
        tags,
        security,
        summary: "Create an organizer's default refund policy, or an override for one event or route",
        description:
          "Rules by time before start/departure, strictly descending `minHoursBefore`. A line's fee is `feePercent` " +
          'of its total (half up) plus `feeFlat` (or the greater of the two with `feeMode: "max"`), at least ' +
          '`minFee`, at most the line. No applicable rule: too late to cancel. Without any policy: full refund ' +
          'at least 48 h before, none after. One policy per scope (409 `refund_policy.exists`).',
        body: CreateRefundPolicyBody,
        response: { 201: RefundPolicyResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await policies.createPolicy(requireStaff(request), request.body))),
  );

  app.get(
    '/refund-policies',
    {
      schema: {
        tags,
        security,
        summary: 'List refund policies (staff: their organizer only)',
        querystring: ListRefundPoliciesQuery,
        response: { 200: Type.Array(RefundPolicyResponse), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 100, offset = 0, organizerId, scopeKind } = request.query;
      const list = await policies.listPolicies(requireStaff(request), {
        ...(organizerId !== undefined ? { organizerId } : {}),
        ...(scopeKind !== undefined ? { scopeKind } : {}),
        limit,
        offset,
      });
      return list.map(present);
    },
  );

  app.get(
    '/refund-policies/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One refund policy',
        params: IdParams,
        response: { 200: RefundPolicyResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => present(await policies.getPolicy(requireStaff(request), request.params.id)),
  );

  app.patch(
    '/refund-policies/:id',
    {
      schema: {
        tags,
        security,
        summary: "Change a policy's name, rules or minimum fee",
        params: IdParams,
        body: UpdateRefundPolicyBody,
        response: { 200: RefundPolicyResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => present(await policies.updatePolicy(requireStaff(request), request.params.id, request.body)),
  );

  app.delete(
    '/refund-policies/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a policy (its sales fall back to the organizer default, else the built-in default)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await policies.deletePolicy(requireStaff(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
