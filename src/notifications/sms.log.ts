import { randomUUID } from 'node:crypto';
import type { SmsMessage, SmsSender } from './sms.js';

export interface SmsLogger {
  info(object: object, message: string): void;
}

/** Writes each text message to the log instead of sending it (the default; see sms.ts to add a provider). */
export class LogSmsSender implements SmsSender {
  readonly name = 'log';

  constructor(private readonly log: SmsLogger) {}

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const messageId = `log-${randomUUID()}`;
    this.log.info(
      { to: message.to, kind: message.context.kind, orderId: message.context.orderId, messageId },
      message.text,
    );
    return { messageId };
  }
}
