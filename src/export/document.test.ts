import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pdfPages, pdfText } from '../testing/pdf.js';
import { markdownBlocks, type PrintDocument } from './document.js';
import { documentHtml } from './html-document.js';
import { documentPdf, printable } from './pdf.js';

const doc: PrintDocument = {
  title: 'E-safety policy <draft>',
  subtitle: 'Demo Academy',
  footer: 'Version 3, generated 24 November 2026',
  blocks: [
    { kind: 'heading', level: 2, text: 'User Actions' },
    { kind: 'paragraph', text: 'Users shall not visit sites that contain or relate to the following.' },
    { kind: 'facts', items: [{ label: 'Approved by governors', value: '24 May 2026 (minute 7.2)' }] },
    {
      kind: 'table',
      caption: 'Students',
      columns: ['Activity', 'Acceptable', 'Unacceptable'],
      rows: Array.from({ length: 120 }, (_, i) => [`Activity number ${i + 1}`, i % 2 === 0 ? 'X' : '', i % 2 === 1 ? 'X' : '']),
      note: 'Generated from the filter configuration.',
    },
    { kind: 'list', items: ['First point', 'Second point'] },
  ],
};

describe('printable documents', () => {
  it('writes a PDF that an independent reader opens, across pages, with every row', async () => {
    const pdf = await documentPdf(doc, new Date('2026-11-24T10:00:00Z'));
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = pdfText(pdf);
    assert.ok(pdfPages(pdf) >= 3, 'a 120-row table runs over several pages');
    for (const expected of [
      'E-safety policy <draft>',
      'User Actions',
      'Activity number 1',
      'Activity number 120',
      'minute 7.2',
      'Second point',
    ])
      assert.ok(text.includes(expected), `the PDF says "${expected}"`);
    assert.match(text, /Page 1 of \d/);
  });

  it('escapes text in the HTML export and keeps every row', () => {
    const html = documentHtml(doc);
    assert.ok(html.includes('E-safety policy &#60;draft&#62;'));
    assert.ok(!html.includes('<draft>'));
    assert.equal((html.match(/<tr>/g) ?? []).length, 121);
  });

  it('spells characters the built-in font lacks instead of dropping them', () => {
    assert.equal(printable('Zoë – “café” ≥ 3 → ✓ 汉'), 'Zoë – “café” >= 3 -> yes ?');
    assert.equal(printable('Łukasz'), 'Lukasz');
  });

  it('reads a school’s Markdown as headings, paragraphs and lists, markup removed', () => {
    const blocks = markdownBlocks(
      '# Scope\n\nThis policy **applies** to\nall members.\n\n- staff\n- [pupils](https://example.org)\n\n## Roles',
    );
    assert.deepEqual(blocks, [
      { kind: 'heading', level: 2, text: 'Scope' },
      { kind: 'paragraph', text: 'This policy applies to all members.' },
      { kind: 'list', items: ['staff', 'pupils (https://example.org)'] },
      { kind: 'heading', level: 2, text: 'Roles' },
    ]);
  });
});
