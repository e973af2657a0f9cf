import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from './mailer.js';

/** Mail through an SMTP server with nodemailer: multipart/alternative text + HTML, inline images by CID. */
export class SmtpMailer implements Mailer {
  readonly name = 'smtp' as const;
  private readonly transport: Transporter;

  constructor(smtpUrl: string) {
    // A hung server must not hold a job beyond its expiry: connect, greet and talk within bounded times.
    this.transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const info = await this.transport.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: message.attachments.map((attachment) => ({
        cid: attachment.contentId,
        filename: attachment.filename,
        contentType: attachment.contentType,
        content: attachment.content,
        contentDisposition: 'inline' as const,
      })),
    });
    return { messageId: String(info.messageId) };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
