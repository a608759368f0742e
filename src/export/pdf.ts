import PDFDocument from 'pdfkit';
import type { Block, PrintDocument } from './document.js';

/*
 * PDF through pdfkit with its built-in Helvetica, so a fresh installation needs no fonts and
 * no browser to print. The built-in fonts cover Windows-1252 only: other characters are
 * replaced by their closest plain form, or "?", rather than printed as nothing.
 */

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const FALLBACK: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ı: 'i',
  '≥': '>=',
  '≤': '<=',
  '→': '->',
  '←': '<-',
  '✓': 'yes',
  '✗': 'no',
  '−': '-',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
};

/** Text the built-in fonts can draw: Latin-1 and the Windows-1252 extras, everything else spelled plainly. */
export function printable(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || ch === '\n' || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (ch === '\t') out += ' ';
    else if (FALLBACK[ch] !== undefined) out += FALLBACK[ch];
    else {
      // Compatibility forms (ligatures, typographic spaces, full-width letters) and accents the font
      // lacks, spelled plainly; a lone combining mark or an invisible formatting character is nothing.
      const plain = ch.normalize('NFKD').replace(/[\p{M}\p{Cf}]/gu, '');
      out += plain === '' ? '' : /^[\x20-\x7e\xa0-\xff]+$/.test(plain) ? plain : code < 0x20 ? '' : '?';
    }
  }
  return out;
}

/**
 * pdfkit measures the whole rest of a word for every line it breaks the word over, so one
 * enormous word costs time in proportion to its length squared. No line holds anywhere near
 * this many characters, so a break after each such stretch changes nothing a reader would miss.
 */
const LONGEST_WORD = 1000;

function withBreaks(text: string): string {
  if (text.length <= LONGEST_WORD) return text;
  let out = '';
  let from = 0;
  let run = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a) run = 0;
    else if (++run > LONGEST_WORD) {
      out += `${text.slice(from, i)}\n`;
      from = i;
      run = 1;
    }
  }
  return out + text.slice(from);
}

/** Text as the page draws it. */
const drawable = (text: string): string => withBreaks(printable(text));

const MARGIN = 50;
const BODY = 10;

function columnWidths(weights: number[], width: number): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => (width * w) / total);
}

function drawBlock(pdf: PDFKit.PDFDocument, b: Block, width: number): void {
  const left = MARGIN;
  switch (b.kind) {
    case 'heading':
      if (pdf.y > pdf.page.height - MARGIN - 80) pdf.addPage();
      pdf.moveDown(0.6);
      pdf
        .font('Helvetica-Bold')
        .fontSize(b.level === 2 ? 14 : 12)
        .text(drawable(b.text), left, pdf.y, { width });
      pdf.moveDown(0.3);
      return;
    case 'paragraph':
      pdf.font('Helvetica').fontSize(BODY).text(drawable(b.text), left, pdf.y, { width });
      pdf.moveDown(0.5);
      return;
    case 'list':
      pdf.font('Helvetica').fontSize(BODY);
      for (const item of b.items) pdf.text(`•  ${drawable(item)}`, left + 10, pdf.y, { width: width - 10, indent: -8 });
      pdf.moveDown(0.5);
      return;
    case 'facts':
      for (const f of b.items) {
        pdf
          .font('Helvetica-Bold')
          .fontSize(BODY)
          .text(`${drawable(f.label)}: `, left, pdf.y, { width, continued: true });
        // pdfkit draws nothing for empty text and leaves the line "continued", so the next label would run into this one.
        pdf.font('Helvetica').text(drawable(f.value) || ' ');
      }
      pdf.moveDown(0.5);
      return;
    case 'table': {
      // A caption and header row stranded at a page's foot, with the rows overleaf, reads as an empty table.
      if (pdf.y > pdf.page.height - MARGIN - 110) pdf.addPage();
      if (b.caption) {
        pdf.font('Helvetica-Bold').fontSize(BODY).text(drawable(b.caption), left, pdf.y, { width });
        pdf.moveDown(0.2);
      }
      const rows = b.rows.length === 0 ? [[{ text: 'None.', colSpan: b.columns.length }]] : b.rows.map((r) => r.map((c) => drawable(c)));
      pdf.font('Helvetica').fontSize(8.5);
      pdf.table({
        position: { x: left, y: pdf.y },
        maxWidth: width,
        defaultStyle: { border: 0.5, borderColor: '#999999', padding: 3 },
        ...(b.widths && b.widths.length === b.columns.length ? { columnStyles: columnWidths(b.widths, width) } : {}),
        rowStyles: (i) => (i === 0 ? { backgroundColor: '#eeeeee' } : undefined),
        data: [b.columns.map((c) => ({ text: drawable(c), font: { src: 'Helvetica-Bold' }, type: 'TH' as const })), ...rows],
      });
      pdf.x = left;
      pdf.moveDown(0.4);
      if (b.note) {
        pdf.font('Helvetica-Oblique').fontSize(8.5).text(drawable(b.note), left, pdf.y, { width });
        pdf.moveDown(0.5);
      }
      return;
    }
  }
}

/** The document as an A4 PDF, with the footer and page numbers on every page. */
export function documentPdf(doc: PrintDocument, generatedAt: Date): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: printable(doc.title), Creator: 'Tutela', CreationDate: generatedAt },
    lang: 'en-GB',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - 2 * MARGIN;
  pdf.font('Helvetica-Bold').fontSize(18).text(drawable(doc.title), MARGIN, MARGIN, { width });
  if (doc.subtitle) pdf.font('Helvetica').fontSize(11).fillColor('#444444').text(drawable(doc.subtitle), { width }).fillColor('#000000');
  pdf.moveDown(0.8);
  for (const b of doc.blocks) drawBlock(pdf, b, width);

  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    pdf.switchToPage(i);
    const foot = `${doc.footer ? `${printable(doc.footer)}  ·  ` : ''}Page ${i - range.start + 1} of ${range.count}`;
    // Writing inside the bottom margin must not start a new page.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor('#555555')
      .text(foot, MARGIN, pdf.page.height - MARGIN + 15, { width, lineBreak: false });
    pdf.page.margins.bottom = bottom;
    pdf.fillColor('#000000');
  }
  pdf.end();
  return done;
}
