import type { Selectable } from 'kysely';
import type { Db } from '../db/client.js';
import type { MailboxAttachmentsTable, MailboxMessagesTable } from '../db/schema.js';

/** SQL of the local mailbox (the embedded mailer's store). */
export type MailboxMessageRow = Selectable<MailboxMessagesTable>;
export type MailboxAttachmentRow = Selectable<MailboxAttachmentsTable>;

export interface MailboxFilter {
  organizerId: string | undefined;
  to: string | undefined;
  orderId: string | undefined;
  kind: string | undefined;
  limit: number;
  offset: number;
}

export function listMailboxMessages(db: Db, filter: MailboxFilter) {
  let query = db.selectFrom('mailbox_messages').select([
    'id',
    'organizer_id',
    'user_id',
    'order_id',
    'kind',
    'language',
    'from_address',
    'to_address',
    'subject',
    'created_at',
    (eb) =>
      eb
        .selectFrom('mailbox_attachments')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('mailbox_attachments.message_id', '=', 'mailbox_messages.id')
        .as('attachment_count'),
  ]);
  if (filter.organizerId !== undefined) query = query.where('organizer_id', '=', filter.organizerId);
  if (filter.to !== undefined) {
    query = query.where((eb) => eb(eb.fn('lower', ['to_address']), '=', filter.to!.toLowerCase()));
  }
  if (filter.orderId !== undefined) query = query.where('order_id', '=', filter.orderId);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

export function findMailboxMessage(db: Db, id: string): Promise<MailboxMessageRow | undefined> {
  return db.selectFrom('mailbox_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findMailboxAttachments(db: Db, messageId: string): Promise<MailboxAttachmentRow[]> {
  return db
    .selectFrom('mailbox_attachments')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('filename')
    .execute();
}
