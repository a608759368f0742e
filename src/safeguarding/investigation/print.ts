import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { escapeHtml } from '../../export/html-document.js';
import type { IncidentRow } from '../access.js';
import { INCIDENT_CATEGORIES } from '../categories.js';
import type { InvestigationView } from './view.js';

const when = (iso: string | null | undefined): string =>
  iso
    ? new Date(iso).toLocaleString('en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'Europe/London',
      })
    : '';

const row = (label: string, value: string) =>
  `<tr><th scope="row">${escapeHtml(label)}</th><td>${value || '<span class="none">Not recorded</span>'}</td></tr>`;

/**
 * "The form" of seed 002 as a page to print and sign. Text only: the record holds addresses
 * and descriptions, never the content, and no image is ever put on the page.
 */
export async function investigationHtml(db: Kysely<DB>, incident: IncidentRow, view: InvestigationView, printedAt: Date): Promise<string> {
  const school = await db.selectFrom('schools').select('name').where('id', '=', incident.school_id).executeTakeFirstOrThrow();
  const category = INCIDENT_CATEGORIES.find((c) => c.id === incident.category)?.label ?? incident.category;
  const inv = view.investigation;
  const urls = inv?.urls.length ? `<ul>${inv.urls.map((u) => `<li>${escapeHtml(u)}</li>`).join('')}</ul>` : '';
  const police = inv?.policeReferredAt
    ? `${escapeHtml(inv.policeReference)}, ${escapeHtml(when(inv.policeReferredAt))}${inv.policeReferredBy ? ` (by ${escapeHtml(inv.policeReferredBy.name)})` : ''}`
    : '';
  const isolated = inv?.deviceIsolatedAt
    ? `${escapeHtml(when(inv.deviceIsolatedAt))}${inv.deviceIsolatedBy ? ` (by ${escapeHtml(inv.deviceIsolatedBy.name)})` : ''}`
    : '';
  const conclusion = inv?.conclusion
    ? `${inv.conclusion === 'substantiated' ? 'Substantiated' : 'Not substantiated'}, ${escapeHtml(when(inv.concludedAt))}${inv.concludedBy ? ` (by ${escapeHtml(inv.concludedBy.name)})` : ''}`
    : '';
  const investigators = view.investigators.length
    ? `<ul>${view.investigators.map((i) => `<li>${escapeHtml(i.name)}${i.senior ? ' (senior)' : ''}</li>`).join('')}</ul>`
    : '';
  const signatures = view.investigators
    .map(
      (i) =>
        `<div class="signature"><p>${escapeHtml(i.name)}${i.senior ? ' (senior)' : ''}</p><p>Signature: <span class="line"></span></p><p>Date: <span class="line short"></span></p></div>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>E-safety incident investigation record ${escapeHtml(incident.reference)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { width: 30%; background: #f2f2f2; }
.none { color: #666; font-style: italic; }
.signature { margin-top: 1.5rem; page-break-inside: avoid; }
.line { display: inline-block; border-bottom: 1px solid #000; width: 18rem; height: 1.2rem; }
.line.short { width: 10rem; }
.notice { border: 2px solid #000; padding: .5rem .8rem; }
</style>
</head>
<body>
<h1>E-safety incident investigation record</h1>
<p>${escapeHtml(school.name)} &middot; Reference ${escapeHtml(incident.reference)} &middot; Printed ${escapeHtml(when(printedAt.toISOString()))}</p>
${view.procedure === 'illegal' ? '<p class="notice"><strong>Illegal-content procedure.</strong> Content is recorded by address and description only; it was not viewed, copied, saved or printed for this record.</p>' : ''}
<table>
${row('School', escapeHtml(school.name))}
${row('Reference', escapeHtml(incident.reference))}
${row('Category', escapeHtml(category))}
${row('Date of incident', escapeHtml(when(incident.occurred_at)))}
${row('Web addresses (URLs)', urls)}
${row('Description of the content', inv?.contentDescription ? escapeHtml(inv.contentDescription).replace(/\n/g, '<br>') : '')}
${row('Designated computer', escapeHtml(inv?.designatedComputer ?? ''))}
${row('Procedure', view.procedure === 'illegal' ? 'Illegal content (police referral)' : 'Standard')}
${row('Police referral', police)}
${row('Device isolated', isolated)}
${row('Investigators', investigators)}
${row('Conclusion', conclusion)}
${row('Actions taken', inv?.actionsTaken ? escapeHtml(inv.actionsTaken).replace(/\n/g, '<br>') : '')}
</table>
<h2>Signatures</h2>
${signatures || '<p class="none">No investigators recorded yet.</p>'}
</body>
</html>
`;
}
