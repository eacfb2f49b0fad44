/**
 * The compiled machines kept in memory, least recently used first out. A compiled model costs
 * memory in proportion to its flow nodes (a few kilobytes each: an 80,000-task model held about
 * 300 MB), so the cache is bounded by the flow nodes it holds as well as by the number of
 * definitions: a server with a few huge models keeps only the ones in use, and one with
 * thousands of ordinary procedures keeps hundreds of them. The entry in use is never dropped,
 * however large.
 */
export class CompiledCache<Value> {
  private readonly entries = new Map<string, { value: Promise<Value>; weight: number }>();
  private weight = 0;

  constructor(private readonly limits: { entries: number; weight: number }) {}

  /** The cached value, now the most recently used. */
  get(key: string): Promise<Value> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Caches a value being computed; it counts for its weight once it is there, and is forgotten if it fails. */
  set(key: string, value: Promise<Value>, weigh: (value: Value) => number): void {
    this.delete(key);
    const entry = { value, weight: 0 };
    this.entries.set(key, entry);
    value.then(
      (resolved) => {
        if (this.entries.get(key) !== entry) return;
        entry.weight = weigh(resolved);
        this.weight += entry.weight;
        this.evict(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.evict(key);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.weight -= entry.weight;
    this.entries.delete(key);
  }

  /** The keys held, least recently used first. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }

  private evict(keep: string): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.limits.entries && this.weight <= this.limits.weight) return;
      if (key !== keep) this.delete(key);
    }
  }
}
