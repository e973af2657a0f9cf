import { Cluster, Redis } from 'ioredis';

/**
 * Connects to one Redis or to a Redis Cluster (comma-separated seed URLs, or REDIS_CLUSTER=true).
 * Fails fast at start when Redis does not answer, rather than queueing commands forever. Commands issued
 * in the same turn of the event loop (hundreds at an on-sale: holds, their token index, rate-limit counters)
 * go out in one write (auto-pipelining): the socket writes were the largest single cost of a hold.
 */
export async function connectRedis(url: string, cluster: boolean): Promise<Redis | Cluster> {
  const urls = url.split(',').map((part) => part.trim());
  const client: Redis | Cluster = cluster
    ? new Cluster(
        urls.map((u) => {
          const parsed = new URL(u);
          return { host: parsed.hostname, port: Number(parsed.port || 6379) };
        }),
        { enableReadyCheck: true, enableAutoPipelining: true, redisOptions: { maxRetriesPerRequest: 3 } },
      )
    : new Redis(urls[0]!, {
        maxRetriesPerRequest: 3,
        enableReadyCheck: true,
        lazyConnect: true,
        enableAutoPipelining: true,
      });
  client.on('error', () => undefined); // reconnects by itself; readiness shows in /readyz
  try {
    if (client instanceof Redis) await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`Cannot reach Redis at REDIS_URL (${urls.join(', ')}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  return client;
}
