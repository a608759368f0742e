import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: DetectedEncoding;
}

/**
 * Turns an uploaded CSV into text. MIS exports arrive as UTF-8 (with or without BOM), as
 * Excel's "Unicode Text" (UTF-16 with BOM) or, from older SIMS and Excel "CSV" saves, as
 * Windows-1252; the encoding is guessed from the bytes because schools rarely know it.
 *
 * @example
 *   decodeCsvBytes(Buffer.from('\ufeffUPN,Forename\n', 'utf8')).encoding; // 'utf-8-bom'
 */
export function decodeCsvBytes(content: Buffer): DecodedText {
  if (startsWith(content, [0xef, 0xbb, 0xbf])) return { text: content.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (startsWith(content, [0xff, 0xfe])) return { text: iconv.decode(content.subarray(2), 'utf16le'), encoding: 'utf-16le' };
  if (startsWith(content, [0xfe, 0xff])) return { text: iconv.decode(content.subarray(2), 'utf16be'), encoding: 'utf-16be' };
  const utf16 = guessBomlessUtf16(content);
  if (utf16) return { text: iconv.decode(content, utf16), encoding: utf16 === 'utf16le' ? 'utf-16le' : 'utf-16be' };
  if (isUtf8(content)) return { text: content.toString('utf8'), encoding: 'utf-8' };
  // Every byte sequence is valid Windows-1252, so this is the fallback that never fails.
  return { text: iconv.decode(content, 'win1252'), encoding: 'windows-1252' };
}

function startsWith(content: Buffer, bytes: number[]): boolean {
  return content.length >= bytes.length && bytes.every((b, i) => content[i] === b);
}

/**
 * A CSV's header row is ASCII, so UTF-16 without a BOM shows up as a zero byte in every other
 * position. Plain text files never contain NUL, so this cannot misfire on 8-bit encodings.
 */
function guessBomlessUtf16(content: Buffer): 'utf16le' | 'utf16be' | null {
  const sample = content.subarray(0, Math.min(content.length, 512) & ~1);
  if (sample.length < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros += 1;
    if (sample[i + 1] === 0) oddZeros += 1;
  }
  const pairs = sample.length / 2;
  if (oddZeros > pairs * 0.6 && evenZeros === 0) return 'utf16le';
  if (evenZeros > pairs * 0.6 && oddZeros === 0) return 'utf16be';
  return null;
}
