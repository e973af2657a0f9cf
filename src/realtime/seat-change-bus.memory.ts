import { ListenerRegistry, PublishBatcher, type SeatChangeBus, type SeatChangeListener } from './seat-change-bus.js';

/**
 * The bus inside one process: the embedded mode (PGlite) has exactly one API process, so a change made
 * here is all there is to hear.
 */
export class MemorySeatChangeBus implements SeatChangeBus {
  readonly name = 'memory' as const;
  private readonly listeners = new ListenerRegistry();
  private readonly batcher = new PublishBatcher(
    async (inventoryIds) => {
      for (const inventoryId of inventoryIds) this.listeners.notify(inventoryId);
    },
    () => undefined,
  );

  publish(inventoryId: string): void {
    this.batcher.add(inventoryId);
  }

  async subscribe(inventoryId: string, listener: SeatChangeListener): Promise<() => void> {
    this.listeners.add(inventoryId, listener);
    return () => void this.listeners.remove(inventoryId, listener);
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  async close(): Promise<void> {
    await this.batcher.flush();
    this.listeners.clear();
  }
}
