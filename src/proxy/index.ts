/** The filtering HTTP forward proxy: plain HTTP, CONNECT tunnels and the PAC file. */
export { startProxyServer } from './server.js';
export type { ProxyLog, ProxyOptions, ProxyServer, ProxyTimeouts } from './types.js';
