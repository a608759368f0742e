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

  it('reads hostile Markdown at the largest size a school may store in linear time', () => {
    const size = 200 * 1024;
    const hostile = [
      '['.repeat(size),
      '[a]('.repeat(size / 4),
      `# ${' '.repeat(size)}a\u2028b`,
      `- ${' '.repeat(size)}a\u2028b`,
      `1. ${'\t'.repeat(size)}a\u2029b`,
    ];
    for (const markdown of hostile) {
      const started = performance.now();
      const blocks = markdownBlocks(markdown);
      const took = performance.now() - started;
      assert.ok(blocks.length > 0);
      assert.ok(took < 1000, `${JSON.stringify(markdown.slice(0, 6))}… took ${Math.round(took)} ms`);
    }
  });

  it('keeps underscores inside words, e-mail addresses and web addresses', () => {
    assert.deepEqual(markdownBlocks('Write to dsl_team_lead@school.example or read [the policy](https://example.org/e_safety_policy).'), [
      {
        kind: 'paragraph',
        text: 'Write to dsl_team_lead@school.example or read the policy (https://example.org/e_safety_policy).',
      },
    ]);
    assert.deepEqual(markdownBlocks('This is _important_ and __very__ so.'), [
      { kind: 'paragraph', text: 'This is important and very so.' },
    ]);
  });

  it('prints typographic hyphens, spaces and ligatures as their plain forms in the PDF', async () => {
    const text = 'e\u2011safety and well\u2010being; 10\u202F000 pupils; 5\u2009km; \uFB01ltering; Ngo\u0301 x\u0331; word\u2060joiner';
    assert.equal(printable(text), 'e-safety and well-being; 10 000 pupils; 5 km; filtering; Ngó x; wordjoiner');
    const pdf = await documentPdf({ title: 'Fidelity', blocks: [{ kind: 'paragraph', text }] }, new Date('2026-11-24T10:00:00Z'));
    const flat = pdfText(pdf).replace(/\s+/g, ' ');
    assert.ok(flat.includes('e-safety and well-being; 10 000 pupils; 5 km; filtering;'), flat);
  });

  it('writes a PDF of a body that is one enormous word without stalling', async () => {
    const started = performance.now();
    const pdf = await documentPdf(
      { title: 'Long', blocks: [{ kind: 'paragraph', text: 'x'.repeat(200 * 1024) }] },
      new Date('2026-11-24T10:00:00Z'),
    );
    const took = performance.now() - started;
    assert.ok(took < 5000, `took ${Math.round(took)} ms`);
    assert.equal(pdfText(pdf).replace(/[^x]/g, '').length, 200 * 1024, 'every character is printed');
  });

  it('prints a fact with nothing to say on its own line, without running into the next', async () => {
    const pdf = await documentPdf(
      {
        title: 'Facts',
        blocks: [
          {
            kind: 'facts',
            items: [
              { label: 'Approved by', value: '\u200b' },
              { label: 'Minute', value: 'FGB 1' },
            ],
          },
        ],
      },
      new Date('2026-11-24T10:00:00Z'),
    );
    const lines = pdfText(pdf)
      .split('\n')
      .map((l) => l.trim());
    assert.ok(lines.includes('Approved by:'), lines.join(' | '));
    assert.ok(lines.includes('Minute: FGB 1'), lines.join(' | '));
  });

  it('keeps a wrapped line that starts with a number in its paragraph', () => {
    assert.deepEqual(
      markdownBlocks('Governors approved this policy in May\n2026. It is reviewed every year.\n\nSteps:\n1. Report it\n2. Keep it'),
      [
        { kind: 'paragraph', text: 'Governors approved this policy in May 2026. It is reviewed every year.' },
        { kind: 'paragraph', text: 'Steps:' },
        { kind: 'list', items: ['Report it', 'Keep it'] },
      ],
    );
  });
});
