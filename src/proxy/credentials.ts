import { createHash } from 'node:crypto';

/** The username and password of a `Proxy-Authorization: Basic …` header, or null when it is not one. */
export function parseBasic(header: string | undefined): { username: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

type Check = (username: string, password: string) => Promise<{ personId: string } | null>;
type Result = { personId: string } | null;

interface Entry {
  result: Promise<Result>;
  expires: number;
}

/**
 * Remembers what the directory said about a username and password, keyed by a hash of both,
 * so a browser that sends its credentials with every request costs one password check every
 * few minutes instead of one per request. Concurrent requests with the same credentials share
 * one check. A rejection is remembered for a shorter time, so a corrected password works soon.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly check: Check,
    private readonly now: () => number = Date.now,
    private readonly okMs = 5 * 60_000,
    private readonly wrongMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  lookup(username: string, password: string): Promise<Result> {
    const key = createHash('sha256').update(username).update('\0').update(password).digest('base64');
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.result;
    if (hit) this.entries.delete(key);
    const result = this.check(username, password);
    const entry: Entry = { result, expires: now + this.okMs };
    this.entries.set(key, entry);
    result.then(
      (r) => {
        if (r === null) entry.expires = this.now() + this.wrongMs;
      },
      // A failing directory must not be remembered: the next request asks again.
      () => this.entries.delete(key),
    );
    // Map keeps insertion order, so the first key is the oldest.
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }
}
