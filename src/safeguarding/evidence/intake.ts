import path from 'node:path';
import { AppError } from '../../errors/errors.js';

export const MAX_FILENAME = 200;
export const MAX_DESCRIPTION = 2000;

/** What an upload says about itself, checked; the bytes are checked by the service. */
export interface UploadMeta {
  filename: string;
  description: string | null;
  mediaType: string;
}

function decodeHeader(value: string, name: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AppError('validation_failed', `${name} must be URI-encoded (encodeURIComponent)`);
  }
}

// Control characters would let a file name forge lines in logs or headers.
const withoutControls = (text: string) => [...text].filter((c) => c >= ' ' && c !== '\x7f').join('');

/**
 * Reads the upload's headers: the declared media type (which must be one the school accepts),
 * the file name (URI-encoded, folders stripped, at most 200 characters) and an optional
 * description.
 *
 * @example
 *   uploadMeta({ contentType: 'application/pdf', filename: 'letter%20from%20police.pdf' }, accepted);
 */
export function uploadMeta(
  headers: { contentType: string | undefined; filename: string | undefined; description: string | undefined },
  accepted: readonly string[],
): UploadMeta {
  const mediaType = (headers.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!mediaType || !accepted.includes(mediaType)) {
    throw new AppError(
      'unsupported_media_type',
      `${mediaType ? `Files of type ${mediaType} are` : 'A file without a media type is'} not accepted as evidence. Accepted: ${accepted.join(', ')}.`,
    );
  }
  if (headers.filename === undefined) throw new AppError('validation_failed', 'Say the file name in the x-filename header');
  const decoded = withoutControls(decodeHeader(headers.filename, 'x-filename'));
  const filename = path.posix.basename(decoded.replaceAll('\\', '/')).trim();
  if (!filename || filename === '.' || filename === '..') throw new AppError('validation_failed', 'The file name is empty');
  if (filename.length > MAX_FILENAME) throw new AppError('validation_failed', `The file name is longer than ${MAX_FILENAME} characters`);
  const description = headers.description === undefined ? '' : decodeHeader(headers.description, 'x-description').trim();
  if (description.length > MAX_DESCRIPTION) {
    throw new AppError('validation_failed', `The description is longer than ${MAX_DESCRIPTION} characters`);
  }
  return { filename, description: description || null, mediaType };
}

/** The body as bytes; an empty upload is refused. */
export function uploadBytes(body: unknown): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('bad_request', 'The file is empty');
  return body;
}

export const formatBytes = (n: number): string =>
  n >= 1024 * 1024
    ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MB`
    : n >= 1024
      ? `${Math.round(n / 1024)} KB`
      : `${n} bytes`;

export const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `Evidence files may be at most ${formatBytes(maxBytes)} (${maxBytes} bytes).`);
