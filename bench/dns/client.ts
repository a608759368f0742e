// A small UDP client for the benchmark: one question and its A records, and a latency sample
// with a fixed number of queries outstanding.
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import dnsPacket from 'dns-packet';

/** The A records for `name`, or null when no answer came within `timeoutMs`. */
export async function resolveA(port: number, name: string, timeoutMs = 2000): Promise<string[] | null> {
  const socket = createSocket('udp4');
  const id = Math.floor(Math.random() * 65535);
  try {
    return await new Promise<string[] | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      socket.on('message', (msg) => {
        try {
          const p = dnsPacket.decode(msg);
          if (p.id !== id) return;
          clearTimeout(timer);
          resolve((p.answers ?? []).filter((a) => a.type === 'A').map((a) => String((a as { data: string }).data)));
        } catch {
          // Not ours or unreadable: keep waiting.
        }
      });
      socket.send(
        dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] }),
        port,
        '127.0.0.1',
      );
    });
  } finally {
    socket.close();
  }
}

export interface LatencySample {
  answered: number;
  lost: number;
  /** Microseconds. */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
}

/** Sends `total` queries for `names` (in turn) keeping `outstanding` in flight; times each. */
export async function sampleLatency(port: number, names: string[], total: number, outstanding: number): Promise<LatencySample> {
  const socket = createSocket('udp4');
  const sentAt = new Map<number, number>();
  const times: number[] = [];
  let sent = 0;
  let lost = 0;
  let nextId = 0;
  const queries = names.map((name) =>
    Buffer.from(dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] })),
  );
  await new Promise<void>((resolve) => {
    const sendOne = () => {
      if (sent >= total) {
        if (sentAt.size === 0) resolve();
        return;
      }
      const q = queries[sent % queries.length]!;
      nextId = (nextId + 1) & 0xffff;
      q.writeUInt16BE(nextId, 0);
      sentAt.set(nextId, performance.now());
      sent++;
      socket.send(q, port, '127.0.0.1');
    };
    socket.on('message', (msg) => {
      const t = sentAt.get(msg.readUInt16BE(0));
      if (t === undefined) return;
      times.push((performance.now() - t) * 1000);
      sentAt.delete(msg.readUInt16BE(0));
      sendOne();
    });
    // A lost query would stall its slot: count it and send another instead.
    const sweep = setInterval(() => {
      const now = performance.now();
      for (const [id, t] of sentAt) {
        if (now - t > 1000) {
          sentAt.delete(id);
          lost++;
          sendOne();
        }
      }
    }, 200);
    socket.on('close', () => clearInterval(sweep));
    for (let i = 0; i < outstanding; i++) sendOne();
  });
  socket.close();
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN);
  return { answered: times.length, lost, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999) };
}
