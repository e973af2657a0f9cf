import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { organizerScope, requireStaff, scopeOrganizerFilter, type Principal } from '../auth/principal.js';
import { Id, IdParams, Paging } from '../catalog/catalog.schemas.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { notFound } from '../shared/errors.js';
import {
  findMailboxAttachments,
  findMailboxMessage,
  listMailboxMessages,
  type MailboxMessageRow,
} from './mailbox.repository.js';

const tags = ['admin: mailbox'];
const security = [{ bearerAuth: [] }];

const MessageSummary = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  language: Type.String(),
  from: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  organizerId: Type.Union([Type.String(), Type.Null()]),
  userId: Type.Union([Type.String(), Type.Null()]),
  orderId: Type.Union([Type.String(), Type.Null()]),
  attachmentCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});

const MessageDetail = Type.Intersect([
  MessageSummary,
  Type.Object({
    text: Type.String({ description: 'The plain-text part' }),
    html: Type.String({ description: 'The HTML part as sent (inline images as cid: references)' }),
    attachments: Type.Array(
      Type.Object({
        contentId: Type.String(),
        filename: Type.String(),
        contentType: Type.String(),
        size: Type.Integer(),
        dataUrl: Type.String({ description: 'The image or file as a data: URL, ready to show' }),
      }),
    ),
  }),
]);

function summaryOf(row: Omit<MailboxMessageRow, 'text_body' | 'html_body'>, attachmentCount: number) {
  return {
    id: row.id,
    kind: row.kind,
    language: row.language,
    from: row.from_address,
    to: row.to_address,
    subject: row.subject,
    organizerId: row.organizer_id,
    userId: row.user_id,
    orderId: row.order_id,
    attachmentCount,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * /api/admin/mailbox: the embedded mode's local mailbox — every email Boxoffice sent when no SMTP_URL is
 * configured, with HTML and text parts and inline images. Admins read all of it; organizer staff read the
 * mail about their organizer (its buyers' bookings, its daily summaries) — another organizer's is 404.
 */
export const mailboxRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const db = deps.database.db;

  async function readable(principal: Principal, id: string): Promise<MailboxMessageRow> {
    const message = await findMailboxMessage(db, id);
    const own = organizerScope(principal);
    if (!message || (own !== undefined && message.organizer_id !== own)) throw notFound('Message', id);
    return message;
  }

  app.get(
    '/mailbox',
    {
      schema: {
        tags,
        security,
        summary: 'Emails in the local mailbox, newest first (staff: their organizer’s)',
        description: 'Empty when mail goes out through SMTP_URL.',
        querystring: Type.Object(
          {
            organizerId: Type.Optional(Id),
            to: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
            orderId: Type.Optional(Id),
            kind: Type.Optional(Type.String({ maxLength: 40, pattern: '^[a-z_]+$' })),
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(MessageSummary), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { organizerId, to, orderId, kind, limit = 50, offset = 0 } = request.query;
      const scope = scopeOrganizerFilter(requireStaff(request), organizerId);
      if (!scope) return [];
      const rows = await listMailboxMessages(db, {
        organizerId: scope.organizerId,
        to,
        orderId,
        kind,
        limit,
        offset,
      });
      return rows.map((row) => summaryOf(row, Number(row.attachment_count ?? 0)));
    },
  );

  app.get(
    '/mailbox/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One email with its text and HTML parts and its inline images',
        params: IdParams,
        response: { 200: MessageDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const message = await readable(requireStaff(request), request.params.id);
      const attachments = await findMailboxAttachments(db, message.id);
      return {
        ...summaryOf(message, attachments.length),
        text: message.text_body,
        html: message.html_body,
        attachments: attachments.map((attachment) => ({
          contentId: attachment.content_id,
          filename: attachment.filename,
          contentType: attachment.content_type,
          size: attachment.content.length,
          dataUrl: `data:${attachment.content_type};base64,${attachment.content.toString('base64')}`,
        })),
      };
    },
  );

  app.get(
    '/mailbox/:id/html',
    {
      schema: {
        tags,
        security,
        summary: 'One email as a web page: its HTML with the inline images in place',
        params: IdParams,
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const message = await readable(requireStaff(request), request.params.id);
      const attachments = new Map(
        (await findMailboxAttachments(db, message.id)).map((attachment) => [
          attachment.content_id,
          `data:${attachment.content_type};base64,${attachment.content.toString('base64')}`,
        ]),
      );
      const html = message.html_body.replace(/(["'])cid:([^"']+)\1/g, (whole, quote: string, cid: string) => {
        const dataUrl = attachments.get(cid);
        return dataUrl ? `${quote}${dataUrl}${quote}` : whole;
      });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    },
  );
};
