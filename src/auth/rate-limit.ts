/**
 * Sign-in attempts per network address in a sliding window, in memory. It blunts password
 * spraying from one address; per-account lockout (in the database) stops slow guessing that
 * spreads over addresses or nodes.
 */
export class AddressRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records an attempt; returns seconds to wait when over the limit, else 0. */
  hit(address: string, now: number): number {
    const recent = (this.hits.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(address, recent);
      return Math.ceil((recent[0]! + this.windowMs - now) / 1000);
    }
    recent.push(now);
    this.hits.set(address, recent);
    if (this.hits.size > 50_000) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [address, times] of this.hits) {
      if (times.every((t) => now - t >= this.windowMs)) this.hits.delete(address);
    }
  }
}
