import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('shares one load between concurrent misses of the same key', async () => {
    const cache = new TtlCache<number>(1000);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 42;
    };
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.getOrLoad('k', load)));
    expect(values.every((value) => value === 42)).toBe(true);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load, and reloads after the time to live', async () => {
    const cache = new TtlCache<number>(20);
    await expect(cache.getOrLoad('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.getOrLoad('k', async () => 1)).toBe(1);
    expect(await cache.getOrLoad('k', async () => 2)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await cache.getOrLoad('k', async () => 3)).toBe(3);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const cache = new TtlCache<string>(1000, 2);
    await cache.getOrLoad('a', async () => 'a');
    await cache.getOrLoad('b', async () => 'b');
    await cache.getOrLoad('c', async () => 'c');
    expect(await cache.getOrLoad('a', async () => 'a2')).toBe('a2');
  });
});
