import { escapeHtml } from '../../export/html-document.js';
import { INCIDENT_CATEGORIES } from '../categories.js';
import type { StudentFile, StudentFileIncident } from './student-file.js';
import type { SubjectAccessExport } from './subject-access.js';

const categoryLabels = new Map<string, string>(INCIDENT_CATEGORIES.map((c) => [c.id, c.label]));
const category = (id: string) => escapeHtml(categoryLabels.get(id) ?? id);
const when = (iso: string | null | undefined) => (iso ? escapeHtml(iso.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC')) : '—');
const text = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : escapeHtml(value));
const para = (value: string | null) => `<p class="text">${text(value)}</p>`;

const STYLE = `
body { font: 11pt/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 52em; color: #111; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #888; margin-top: 2em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; } th, td { border: 1px solid #aaa; padding: .25em .4em; text-align: left; vertical-align: top; }
.text { white-space: pre-wrap; } .notice { border: 2px solid #000; padding: .5em 1em; font-weight: bold; }
.incident { break-inside: avoid-page; } .signature td { height: 3em; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
}

const rows = (headings: string[], data: string[][]) =>
  data.length === 0
    ? '<p>None.</p>'
    : `<table><thead><tr>${headings.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${data
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;

/** The people and the chronology read the same in both exports; only what is in them differs. */
const peopleTable = (people: readonly { name: string | null; role: string }[]) =>
  rows(
    ['Name', 'Role'],
    people.map((p) => [text(p.name), text(p.role)]),
  );
const chronologyTable = (entries: readonly { at: string; kind: string; author: string | null; body: string | null }[]) =>
  rows(
    ['When', 'Entry', 'By', 'What was recorded'],
    entries.map((e) => [when(e.at), text(e.kind), text(e.author), `<span class="text">${text(e.body)}</span>`]),
  );

function studentIncident(i: StudentFileIncident): string {
  const inv = i.investigation;
  return `<section class="incident"><h3>${escapeHtml(i.reference)}: ${category(i.category)}</h3>
<p>${escapeHtml(i.summary)}</p>
<table><tbody>
<tr><th scope="row">The student's part</th><td>${text(i.studentRoles.join(', '))}</td></tr>
<tr><th scope="row">About</th><td>${i.subjectKind === 'staff' ? 'A member of staff' : 'A student'}</td></tr>
<tr><th scope="row">Occurred</th><td>${when(i.occurredAt)} (${text(i.location === 'in_school' ? 'in school' : 'out of school')})</td></tr>
<tr><th scope="row">Reported by</th><td>${text(i.reportedBy)} on ${when(i.loggedAt)}</td></tr>
<tr><th scope="row">Urgency</th><td>${text(i.urgency)}</td></tr>
<tr><th scope="row">Status</th><td>${text(i.status)}${i.closedAt ? `, closed ${when(i.closedAt)} by ${text(i.closedBy)}` : ''}</td></tr>
<tr><th scope="row">Outcome</th><td class="text">${text(i.outcome)}</td></tr>
</tbody></table>
<h4>People involved</h4>${peopleTable(i.people)}
<h4>Chronology</h4>${chronologyTable(i.entries)}
<h4>Actions</h4>${rows(
    ['Action', 'Status', 'Done', 'Note'],
    i.actions.map((a) => [text(a.action), text(a.status), `${when(a.doneAt)} ${a.doneBy ? `by ${text(a.doneBy)}` : ''}`, text(a.note)]),
  )}
<h4>Parents and carers informed</h4>${rows(
    ['Student', 'Parent or carer', 'How', 'When', 'By', 'Note'],
    i.parentContacts.map((c) => [
      text(c.student),
      text(c.parentName),
      text(c.method),
      when(c.contactedAt),
      text(c.contactedBy),
      text(c.note),
    ]),
  )}
${
  inv
    ? `<h4>Investigation</h4><table><tbody>
<tr><th scope="row">Procedure</th><td>${text(inv.procedure)}</td></tr>
<tr><th scope="row">Content</th><td class="text">${text(inv.contentDescription)}</td></tr>
<tr><th scope="row">Police</th><td>${inv.policeReferredAt ? `referred ${when(inv.policeReferredAt)}, reference ${text(inv.policeReference)}` : 'not referred'}</td></tr>
<tr><th scope="row">Investigators</th><td>${text(inv.investigators.map((x) => x.name).join(', '))}</td></tr>
<tr><th scope="row">Conclusion</th><td>${text(inv.conclusion)} ${inv.concludedAt ? when(inv.concludedAt) : ''}</td></tr>
<tr><th scope="row">Actions taken</th><td class="text">${text(inv.actionsTaken)}</td></tr>
</tbody></table>`
    : ''
}
<h4>Evidence (held by the sending school; not included)</h4>${rows(
    ['File', 'Type', 'Size (bytes)', 'SHA-256'],
    i.evidence.map((e) => [text(e.filename), text(e.mediaType), text(e.sizeBytes), `<code>${text(e.sha256)}</code>`]),
  )}
</section>`;
}

/** The printable child protection file, ending with the transfer and receipt record. */
export function studentFileHtml(file: StudentFile): string {
  const s = file.student;
  const name = `${s.preferredName ?? s.givenName} ${s.familyName}`;
  const body = `<h1>Safeguarding file: ${escapeHtml(name)}</h1>
<p class="notice">Confidential child protection file. Transfer it to the receiving school's designated safeguarding lead
separately from the main pupil file, within 5 school days of the move, and obtain confirmation of receipt.</p>
<table><tbody>
<tr><th scope="row">Student</th><td>${escapeHtml(`${s.givenName} ${s.familyName}`)}${s.preferredName ? ` (known as ${escapeHtml(s.preferredName)})` : ''}</td></tr>
<tr><th scope="row">Date of birth</th><td>${text(s.dateOfBirth)}</td></tr>
<tr><th scope="row">Year group</th><td>${text(s.yearGroup)}</td></tr>
<tr><th scope="row">MIS id / UPN</th><td>${text(s.misId)}</td></tr>
<tr><th scope="row">Sending school</th><td>${escapeHtml(file.school.name)}${file.school.urn ? ` (URN ${escapeHtml(file.school.urn)})` : ''}</td></tr>
<tr><th scope="row">Exported</th><td>${when(file.exportedAt)} by ${escapeHtml(file.exportedBy.name)}</td></tr>
</tbody></table>
<h2>Incidents (${file.incidents.length})</h2>
${file.incidents.length === 0 ? '<p>No incidents recorded.</p>' : file.incidents.map(studentIncident).join('\n')}
<h2>Internet sanctions</h2>${rows(
    ['From', 'Until', 'Reason', 'Lifted'],
    file.internetSanctions.map((x) => [when(x.from), when(x.until), text(x.reason), when(x.liftedAt)]),
  )}
<h2>Transfer and receipt</h2>
<p>Sent by the designated safeguarding lead of ${escapeHtml(file.school.name)}; received by the designated safeguarding lead of the new school.
The receiving school keeps a copy of this page and returns one to the sending school as confirmation of receipt.</p>
<table class="signature"><tbody>
<tr><th scope="col"></th><th scope="col">Sending DSL</th><th scope="col">Receiving DSL</th></tr>
<tr><th scope="row">Name</th><td></td><td></td></tr>
<tr><th scope="row">School</th><td>${escapeHtml(file.school.name)}</td><td></td></tr>
<tr><th scope="row">How sent / received</th><td></td><td></td></tr>
<tr><th scope="row">Date</th><td></td><td></td></tr>
<tr><th scope="row">Signature</th><td></td><td></td></tr>
</tbody></table>
<p>Format ${escapeHtml(file.format)}.</p>`;
  return page(`Safeguarding file: ${name}`, body);
}

/** The printable subject-access draft, headed by the review notice. */
export function subjectAccessHtml(sar: SubjectAccessExport): string {
  const incidents = sar.incidents
    .map(
      (i) => `<section class="incident"><h3>${escapeHtml(i.reference)}: ${category(i.category)}</h3>
<p>${text(i.summary)}</p>
<table><tbody>
<tr><th scope="row">Your part</th><td>${text(i.subjectRoles.join(', '))}</td></tr>
<tr><th scope="row">Occurred</th><td>${when(i.occurredAt)}</td></tr>
<tr><th scope="row">Reported by</th><td>${text(i.reportedBy)} on ${when(i.loggedAt)}</td></tr>
<tr><th scope="row">Status</th><td>${text(i.status)}${i.closedAt ? `, closed ${when(i.closedAt)}` : ''}</td></tr>
<tr><th scope="row">Outcome</th><td class="text">${text(i.outcome)}</td></tr>
</tbody></table>
<h4>People involved</h4>${peopleTable(i.people)}
<h4>Chronology</h4>${chronologyTable(i.entries)}
<h4>Actions</h4>${rows(
        ['Action', 'Status', 'Done', 'Note'],
        i.actions.map((a) => [text(a.action), text(a.status), when(a.doneAt), text(a.note)]),
      )}
<h4>Parents and carers informed</h4>${rows(
        ['Parent or carer', 'How', 'When', 'Note'],
        i.parentContacts.map((c) => [text(c.parent), text(c.method), when(c.contactedAt), text(c.note)]),
      )}
${i.investigation ? `<h4>Investigation</h4>${para(i.investigation.contentDescription)}<p>Conclusion: ${text(i.investigation.conclusion)}</p>${para(i.investigation.actionsTaken)}` : ''}
<h4>Evidence files (listed, not included)</h4>${rows(
        ['File', 'Type', 'Size (bytes)'],
        i.evidence.map((e) => [text(e.filename), text(e.mediaType), text(e.sizeBytes)]),
      )}
</section>`,
    )
    .join('\n');
  const body = `<h1>Subject-access export: ${escapeHtml(sar.subject.name)}</h1>
<p class="notice" role="note">${escapeHtml(sar.notice)}</p>
<table><tbody>
<tr><th scope="row">Data subject</th><td>${escapeHtml(sar.subject.name)} (${escapeHtml(sar.subject.kind)})</td></tr>
<tr><th scope="row">School</th><td>${escapeHtml(sar.school.name)}</td></tr>
<tr><th scope="row">Prepared</th><td>${when(sar.exportedAt)}</td></tr>
</tbody></table>
<h2>Incidents (${sar.incidents.length})</h2>
${sar.incidents.length === 0 ? '<p>No incidents recorded.</p>' : incidents}
<h2>Internet sanctions</h2>${rows(
    ['From', 'Until', 'Reason', 'Lifted'],
    sar.internetSanctions.map((x) => [when(x.from), when(x.until), text(x.reason), when(x.liftedAt)]),
  )}
<h2>Release</h2>
<table class="signature"><tbody>
<tr><th scope="row">Reviewed by (data protection lead)</th><td></td></tr>
<tr><th scope="row">Date released</th><td></td></tr>
</tbody></table>
<p>Format ${escapeHtml(sar.format)}.</p>`;
  return page(`Subject-access export: ${sar.subject.name}`, body);
}
