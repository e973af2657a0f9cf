/** An image or file carried inside an email; `contentId` lets the HTML show it inline (`<img src="cid:…">`). */
export interface MailAttachment {
  contentId: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/** Who and what an email is about, kept with it in the local mailbox (staff see their organizer's mail). */
export interface MailContext {
  kind: string;
  language: 'en' | 'bn';
  organizerId: string | null;
  userId: string | null;
  orderId: string | null;
}

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
  context: MailContext;
}

/** The mail port: SMTP (SMTP_URL) or, embedded, a local mailbox in the database. */
export interface Mailer {
  readonly name: 'smtp' | 'mailbox';
  /** Sends one email; resolves with the transport's message id, throws when it was not accepted. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}
