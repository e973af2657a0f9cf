import type { Db } from '../db/client.js';
import { newId } from '../shared/ids.js';
import type { Mailer, MailMessage } from './mailer.js';

/**
 * The embedded mailer: every email is kept in the database (mailbox_messages, with its inline images),
 * where an admin reads it in the console or through GET /api/admin/mailbox — a newcomer sees every email
 * without a mail server.
 */
export class MailboxMailer implements Mailer {
  readonly name = 'mailbox' as const;

  constructor(private readonly db: Db) {}

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const id = newId('mailboxMessage');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('mailbox_messages')
        .values({
          id,
          organizer_id: message.context.organizerId,
          user_id: message.context.userId,
          order_id: message.context.orderId,
          kind: message.context.kind,
          language: message.context.language,
          from_address: message.from,
          to_address: message.to,
          subject: message.subject,
          text_body: message.text,
          html_body: message.html,
        })
        .execute();
      if (message.attachments.length > 0) {
        await trx
          .insertInto('mailbox_attachments')
          .values(
            message.attachments.map((attachment) => ({
              message_id: id,
              content_id: attachment.contentId,
              filename: attachment.filename,
              content_type: attachment.contentType,
              content: attachment.content,
            })),
          )
          .execute();
      }
    });
    return { messageId: id };
  }

  async close(): Promise<void> {}
}
