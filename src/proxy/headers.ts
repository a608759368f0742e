/** Headers that describe one connection, never passed on by a proxy (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The names listed in Connection headers, which are hop-by-hop for this message too. */
function connectionTokens(rawHeaders: string[]): Set<string> {
  const named = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name !== 'connection' && name !== 'proxy-connection') continue;
    for (const token of rawHeaders[i + 1]!.split(',')) {
      const t = token.trim().toLowerCase();
      if (t) named.add(t);
    }
  }
  return named;
}

/**
 * The end-to-end headers of a message as a flat [name, value, …] list (the form of
 * `rawHeaders`, which keeps repeated headers such as Set-Cookie apart), with Via extended.
 * Transfer-Encoding is dropped too: Node frames the body again on each side.
 */
export function endToEndHeaders(rawHeaders: string[], via: string): string[] {
  const named = connectionTokens(rawHeaders);
  const out: string[] = [];
  let priorVia = '';
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower)) continue;
    if (lower === 'via') {
      priorVia = priorVia ? `${priorVia}, ${rawHeaders[i + 1]}` : rawHeaders[i + 1]!;
      continue;
    }
    out.push(name, rawHeaders[i + 1]!);
  }
  out.push('Via', priorVia ? `${priorVia}, ${via}` : via);
  return out;
}
