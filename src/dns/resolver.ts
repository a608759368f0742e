import { type Answer, type AnswerCache, toAnswer } from './cache.js';
import type { Forwarder } from './upstream.js';

export type AnswerCallback = (answer: Answer | null) => void;

/** Queries waiting on one upstream question are capped, so one name cannot hold memory. */
const MAX_WAITERS = 1000;

/**
 * Cache, then upstream. Concurrent misses for the same key share one upstream query, so a
 * burst for a name that just expired costs the upstream one question.
 */
export class Resolver {
  private readonly waiting = new Map<string, AnswerCallback[]>();

  constructor(
    private readonly cache: AnswerCache,
    private readonly forwarder: Forwarder,
    private readonly now: () => number,
  ) {}

  /** The cached answer for `key`, if any (synchronous: the hot path). */
  cached(key: string): Answer | undefined {
    return this.cache.get(key, this.now());
  }

  /** Asks upstream for `question` (lower case) and caches the answer under `key`. */
  fetch(key: string, question: Buffer, done: AnswerCallback): void {
    const waiters = this.waiting.get(key);
    if (waiters) {
      if (waiters.length >= MAX_WAITERS) done(null);
      else waiters.push(done);
      return;
    }
    this.waiting.set(key, [done]);
    this.forwarder.resolve(question, (wire) => {
      const answer = wire ? toAnswer(wire, this.now()) : null;
      if (answer) this.cache.set(key, answer);
      const all = this.waiting.get(key) ?? [];
      this.waiting.delete(key);
      for (const w of all) w(answer);
    });
  }

  /** Stores an answer we composed ourselves (safe search) as if it came from upstream. */
  store(key: string, answer: Answer): void {
    this.cache.set(key, answer);
  }
}
