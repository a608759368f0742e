/**
 * The proxy auto-configuration file browsers fetch as /proxy.pac or /wpad.dat. Local names
 * and private address literals go direct; everything else goes through the proxy, with no
 * DIRECT fallback, so a browser cannot skip the filter when the proxy refuses a request.
 *
 * Private ranges are matched only on address literals: `isInNet` on a name makes the browser
 * resolve it, which is slow and would send any name that resolves to a private address
 * around the proxy.
 *
 * @example
 *   pacFile('proxy.school.example', 3128) // → 'function FindProxyForURL(url, host) { … }'
 */
export function pacFile(proxyHost: string, port: number): string {
  const self = JSON.stringify(proxyHost.toLowerCase());
  const proxy = JSON.stringify(`PROXY ${proxyHost.includes(':') ? `[${proxyHost}]` : proxyHost}:${port}`);
  return `// Tutela web filter: proxy auto-configuration.
function FindProxyForURL(url, host) {
  host = host.toLowerCase();
  if (host.charAt(0) === "[") host = host.substring(1, host.length - 1);
  if (host.indexOf(":") >= 0) {
    // An IPv6 literal has no dots, so isPlainHostName would send it direct: handle it first.
    // Direct only for loopback, link-local fe80::/10 and unique-local fc00::/7.
    if (host === "::1" || /^fe[89ab][0-9a-f]:/.test(host) || /^f[cd][0-9a-f]{2}:/.test(host)) return "DIRECT";
    return ${proxy};
  }
  if (isPlainHostName(host) || host === "localhost" || dnsDomainIs(host, ".localhost") || host === ${self}) return "DIRECT";
  if (/^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$/.test(host)) {
    if (isInNet(host, "10.0.0.0", "255.0.0.0") ||
        isInNet(host, "172.16.0.0", "255.240.0.0") ||
        isInNet(host, "192.168.0.0", "255.255.0.0") ||
        isInNet(host, "127.0.0.0", "255.0.0.0") ||
        isInNet(host, "169.254.0.0", "255.255.0.0")) return "DIRECT";
  }
  return ${proxy};
}
`;
}
