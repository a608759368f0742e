/** Media types whose content Tutela recognises by its first bytes. */
const SIGNATURES: { mediaType: string; label: string; matches: (b: Buffer) => boolean }[] = [
  { mediaType: 'image/png', label: 'a PNG image', matches: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mediaType: 'image/jpeg', label: 'a JPEG image', matches: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { mediaType: 'image/gif', label: 'a GIF image', matches: (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a') },
  { mediaType: 'image/webp', label: 'a WebP image', matches: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
  { mediaType: 'video/mp4', label: 'an MP4 video', matches: (b) => ascii(b, 4, 'ftyp') },
  { mediaType: 'application/pdf', label: 'a PDF document', matches: (b) => ascii(b, 0, '%PDF-') },
];

const TEXT_TYPES = new Set(['text/plain', 'text/csv']);

const starts = (b: Buffer, bytes: number[]) => b.length >= bytes.length && bytes.every((x, i) => b[i] === x);
const ascii = (b: Buffer, at: number, text: string) => b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text;

/** The media type the content itself shows, when it is one Tutela recognises. */
export function sniffMediaType(bytes: Buffer): string | null {
  return SIGNATURES.find((s) => s.matches(bytes))?.mediaType ?? null;
}

const labelOf = (mediaType: string) => SIGNATURES.find((s) => s.mediaType === mediaType)?.label ?? mediaType;

function isPlainText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the content is not what the upload says it is, or null when it is. A recognised kind
 * must match the declared type, a declared recognisable type must be recognised, and text must
 * be UTF-8 without NUL bytes: an image cannot come in as "text/plain" or "application/pdf".
 *
 * @example
 *   contentMismatch('text/plain', pngBytes); // 'The file is a PNG image, not text/plain.'
 */
export function contentMismatch(declared: string, bytes: Buffer): string | null {
  const seen = sniffMediaType(bytes);
  if (seen && seen !== declared) return `The file is ${labelOf(seen)}, not ${declared}.`;
  if (seen) return null;
  if (TEXT_TYPES.has(declared)) {
    return isPlainText(bytes) ? null : `The file is not plain text (${declared} must be UTF-8 without NUL bytes).`;
  }
  if (SIGNATURES.some((s) => s.mediaType === declared)) return `The file does not look like ${labelOf(declared)}.`;
  return null;
}
