// The origin every proxy in the benchmark forwards to: a small fixed answer, as fast as Node serves it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from('origin ok\n');
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(body.length) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
