/**
 * The SMS port. Boxoffice ships a logging adapter (sms.log.ts): messages go to the log, which is what a
 * laptop or a test needs. To send real text messages, implement this interface for your provider in
 * `sms.<provider>.ts` (an HTTP call to its API; throw on a refusal so the job retries with backoff) and
 * choose it in src/container.ts from your own configuration variable. See README, "Notifications".
 */
export interface SmsMessage {
  /** The buyer's phone number as stored in their profile (preferably international, +8801…). */
  to: string;
  /** Plain text; keep it under 160 GSM characters (70 for Bangla) to stay one segment. */
  text: string;
  context: { kind: string; organizerId: string | null; userId: string | null; orderId: string | null };
}

export interface SmsSender {
  readonly name: string;
  /** Sends one message; resolves with the provider's message id, throws when it was not accepted. */
  send(message: SmsMessage): Promise<{ messageId: string }>;
}
