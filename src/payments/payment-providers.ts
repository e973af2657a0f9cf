import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { AppDeps } from '../container.js';
import type { Db } from '../db/client.js';
import { FakePaymentProvider } from './payment-provider.fake.js';
import type { PaymentProvider } from './payment-provider.js';
import { StripePaymentProvider } from './payment-provider.stripe.js';

/**
 * Picks the payment provider from Config, once per set of dependencies (the app's routes, the webhook
 * handler and the refunds of cancellations share it). PAYMENT_PROVIDER=stripe → Stripe; otherwise the
 * built-in fake gateway, whose signing secret is FAKE_GATEWAY_SECRET or one generated at first start and
 * kept in the settings table, so every process of a deployment agrees on it.
 */
const providers = new WeakMap<AppDeps, Promise<PaymentProvider>>();

export function paymentProviderFor(deps: AppDeps): Promise<PaymentProvider> {
  let provider = providers.get(deps);
  if (!provider) {
    provider = createPaymentProvider(deps);
    providers.set(deps, provider);
    provider.catch(() => providers.delete(deps));
  }
  return provider;
}

async function createPaymentProvider(deps: AppDeps): Promise<PaymentProvider> {
  const { config } = deps;
  if (config.paymentProvider === 'stripe') {
    return new StripePaymentProvider({
      secretKey: config.stripeSecretKey!,
      webhookSecret: config.stripeWebhookSecret!,
      apiBase: config.stripeApiBase,
    });
  }
  const secret = config.fakeGatewaySecret ?? (await storedFakeGatewaySecret(deps.database.db));
  return new FakePaymentProvider(deps.database.db, secret, deps.clock);
}

async function storedFakeGatewaySecret(db: Db): Promise<string> {
  const key = 'fake_gateway_secret';
  await db
    .insertInto('settings')
    .values({ key, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

/** What payment code logs through: the app's logger once the routes are registered, else its own. */
export interface PaymentLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

const loggers = new WeakMap<AppDeps, PaymentLogger>();

export function setPaymentLogger(deps: AppDeps, logger: PaymentLogger): void {
  loggers.set(deps, logger);
}

export function paymentLoggerFor(deps: AppDeps): PaymentLogger {
  let logger = loggers.get(deps);
  if (!logger) {
    logger = pino({ level: deps.config.logLevel, name: 'payments' });
    loggers.set(deps, logger);
  }
  return logger;
}
