import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A list source that cannot be used: the import or refresh is refused and the lists in force stay. */
export class ListSourceError extends Error {
  override name = 'ListSourceError';
}

export interface DownloadLimits {
  /** Larger bodies are refused rather than filling the disk. */
  maxBytes: number;
  /** For the whole transfer, headers and body. */
  timeoutMs: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = { maxBytes: 512 * 1024 * 1024, timeoutMs: 10 * 60_000 };

export const isHttpUrl = (source: string) => /^https?:\/\//i.test(source);

/** The URL without user info, for reports and logs. */
export function redactUrl(source: string): string {
  try {
    const u = new URL(source);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return source;
  }
}

/**
 * Fetches a URL into a file. Throws ListSourceError on a non-2xx status, a body larger than the
 * cap, a body shorter than its Content-Length (a cut connection), a reset or a timeout.
 */
export async function downloadToFile(url: string, file: string, limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS): Promise<number> {
  const where = redactUrl(url);
  let response: Response;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    throw new ListSourceError(`could not download ${where}: ${describe(error)}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new ListSourceError(`could not download ${where}: the server answered ${response.status} ${response.statusText}`.trim());
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await response.body.cancel().catch(() => {});
    throw new ListSourceError(`could not download ${where}: ${declared} bytes is over the limit of ${limits.maxBytes}`);
  }
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > limits.maxBytes) done(new ListSourceError(`the download is over the limit of ${limits.maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), counter, createWriteStream(file));
  } catch (error) {
    throw new ListSourceError(`could not download ${where}: ${describe(error)}`);
  }
  // With a Content-Encoding, fetch decodes the body and the declared length is of the encoded bytes.
  const encoded = (response.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
  if (Number.isFinite(declared) && !encoded && received !== declared) {
    throw new ListSourceError(`could not download ${where}: received ${received} of ${declared} bytes`);
  }
  return received;
}

function describe(error: unknown): string {
  const e = error as Error & { cause?: Error & { code?: string } };
  if (e instanceof ListSourceError) return e.message;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message} (${cause})` : String(e?.message ?? e);
}
