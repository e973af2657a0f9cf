/**
 * Latency recorder: every sample kept in a growing Float64Array, sorted once at the end. Exact
 * percentiles (no buckets) for the few million samples a benchmark run produces.
 */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private size = 0;

  record(milliseconds: number): void {
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = milliseconds;
  }

  get count(): number {
    return this.size;
  }

  /** Percentiles (0–100) in milliseconds, nearest-rank; NaN when nothing was recorded. */
  percentiles(points: readonly number[]): number[] {
    if (this.size === 0) return points.map(() => Number.NaN);
    const sorted = this.samples.slice(0, this.size).sort();
    return points.map((p) => sorted[Math.min(this.size - 1, Math.max(0, Math.ceil((p / 100) * this.size) - 1))]!);
  }

  max(): number {
    let max = Number.NaN;
    for (let i = 0; i < this.size; i++) if (!(this.samples[i]! <= max)) max = this.samples[i]!;
    return max;
  }
}
