import type { Block, PrintDocument } from './document.js';

/** Everything written into the page goes through here: documents carry text people typed. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body { font: 11pt/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 56em; color: #111; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } .subtitle { margin-top: 0; color: #444; }
h2 { font-size: 1.25em; border-bottom: 1px solid #888; margin-top: 1.8em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; } caption { text-align: left; font-weight: bold; padding: .3em 0; }
th, td { border: 1px solid #aaa; padding: .25em .4em; text-align: left; vertical-align: top; } thead th { background: #eee; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; } dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
.note { font-size: .9em; color: #444; } footer { margin-top: 3em; font-size: .85em; color: #555; border-top: 1px solid #ccc; padding-top: .5em; }
@media print { body { margin: 0; max-width: none; } table { break-inside: auto; } tr { break-inside: avoid; } }`;

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'facts':
      return `<dl class="facts">${b.items.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`).join('')}</dl>`;
    case 'table': {
      const caption = b.caption ? `<caption>${escapeHtml(b.caption)}</caption>` : '';
      const head = `<thead><tr>${b.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
      const body =
        b.rows.length === 0
          ? `<tbody><tr><td colspan="${b.columns.length}">None.</td></tr></tbody>`
          : `<tbody>${b.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('')}</tbody>`;
      const note = b.note ? `<p class="note">${escapeHtml(b.note)}</p>` : '';
      return `<table>${caption}${head}${body}</table>${note}`;
    }
  }
}

/** A whole standalone page: no scripts, no outside resources, so it can be saved and published as it is. */
export function documentHtml(doc: PrintDocument): string {
  const subtitle = doc.subtitle ? `<p class="subtitle">${escapeHtml(doc.subtitle)}</p>` : '';
  const footer = doc.footer ? `<footer>${escapeHtml(doc.footer)}</footer>` : '';
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(doc.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(doc.title)}</h1>${subtitle}
${doc.blocks.map(block).join('\n')}
${footer}</body></html>
`;
}
