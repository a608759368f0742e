// The benchmark's upstream: an authoritative responder on 127.0.0.1 that answers every A
// question with one fixed address (TTL 3600) and everything else with "no such record". It
// copies the question into a prebuilt answer and never decodes more, so it is never what
// limits the servers measured. Run as a child process with the address to answer with;
// prints its port, then serves.
import { createSocket } from 'node:dgram';

const address = process.argv[2] ?? '198.51.100.7';

const socket = createSocket('udp4');
const rr = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, ...address.split('.').map(Number)]);

socket.on('message', (msg, rinfo) => {
  if (msg.length < 17 || msg[2]! & 0x80) return;
  let end = 12;
  while (end < msg.length && msg[end] !== 0) end += msg[end]! + 1;
  end += 5;
  if (end > msg.length) return;
  const isA = msg[end - 4] === 0 && msg[end - 3] === 1;
  const out = Buffer.allocUnsafe(end + (isA ? rr.length : 0));
  msg.copy(out, 0, 0, end);
  out[2] = 0x84 | (msg[2]! & 0x01); // QR, AA, the client's RD
  out[3] = 0;
  out.writeUInt16BE(isA ? 1 : 0, 6);
  out.writeUInt32BE(0, 8); // no authority, no additional (the query's OPT is dropped)
  if (isA) rr.copy(out, end);
  socket.send(out, rinfo.port, rinfo.address);
});
socket.bind(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${socket.address().port}\n`);
});
