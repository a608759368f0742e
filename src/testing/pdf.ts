import { execFileSync } from 'node:child_process';

/**
 * The text of a PDF as poppler's `pdftotext` reads it: an independent reader, so a test
 * proves the file opens and says what it should, not only that bytes were written.
 */
export function pdfText(pdf: Buffer | Uint8Array, options: { layout?: boolean } = {}): string {
  return execFileSync('pdftotext', [...(options.layout ? ['-layout'] : []), '-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });
}

/** The page count `pdfinfo` reports. */
export function pdfPages(pdf: Buffer | Uint8Array): number {
  const info = execFileSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
  const match = /^Pages:\s+(\d+)/m.exec(info);
  if (!match) throw new Error(`pdfinfo gave no page count:\n${info}`);
  return Number(match[1]);
}
