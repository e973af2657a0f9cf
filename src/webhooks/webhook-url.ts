import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../shared/errors.js';

/**
 * Where organizer webhooks may point. Staff of any organizer choose these URLs, and Boxoffice calls them
 * from inside its own network: without a check, a webhook could probe internal services (the database,
 * a cloud metadata endpoint). So by default only https:// to public addresses is allowed; a laptop or a
 * test turns WEBHOOK_ALLOW_PRIVATE_NETWORKS on. The check runs when the URL is saved and again before each
 * delivery (a name may resolve elsewhere later).
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  return PRIVATE.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** Throws webhook.url_invalid unless the URL may receive webhooks. */
export async function assertWebhookUrlAllowed(raw: string, allowPrivateNetworks: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('webhook.url_invalid', 'The webhook URL is not a valid URL', { url: raw });
  }
  if (url.username || url.password) {
    throw new AppError('webhook.url_invalid', 'The webhook URL must not carry a user name or password');
  }
  if (allowPrivateNetworks) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new AppError('webhook.url_invalid', 'The webhook URL must be http:// or https://');
    }
    return url;
  }
  if (url.protocol !== 'https:') throw new AppError('webhook.url_invalid', 'The webhook URL must be https://');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    throw new AppError('webhook.url_invalid', `The webhook host ${host} cannot be resolved`, { host });
  }
  if (host === 'localhost' || addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw new AppError('webhook.url_invalid', 'The webhook URL must point to a public internet address', { host });
  }
  return url;
}
