export { DOH_CANARY, type DnsServer, type DnsServerOptions, type DnsStats, startDnsServer } from './server.js';
export { parseUpstream, type Upstream } from './upstream.js';
