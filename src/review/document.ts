import type { Block, PrintDocument } from '../export/document.js';
import { schoolToday } from '../training/rules.js';
import { ANSWER_LABELS, REASON_LABELS, REVIEW_CHECKLIST, REVIEW_SLOTS, SLOT_LABELS } from './checklist.js';
import type { ReviewDetail } from './wire.js';

// A governance record is dated by the school's calendar, so a sign-off at 00:30 in summer is that day's.
const clockTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const day = (iso: string) => schoolToday(new Date(iso));
const time = (iso: string) => `${day(iso)} ${clockTime.format(new Date(iso))} UK time`;

/**
 * The whole review as one printable document, served as HTML and as PDF: who is responsible,
 * each checklist answer with who checked it, the automatic check results with failures first,
 * the decisions, the actions and the sign-off.
 */
export function reviewDocument(review: ReviewDetail, schoolName: string, generatedAt: Date): PrintDocument {
  const blocks: Block[] = [
    {
      kind: 'facts',
      items: [
        { label: 'School', value: schoolName },
        { label: 'Reason', value: REASON_LABELS[review.reason] },
        { label: 'Started', value: day(review.startedAt) },
        { label: 'Status', value: review.signOff ? `Signed off ${day(review.signOff.at)}` : 'Open: not signed off' },
      ],
    },
    { kind: 'heading', level: 2, text: 'People responsible' },
    {
      kind: 'facts',
      items: REVIEW_SLOTS.map((slot) => ({ label: SLOT_LABELS[slot], value: review.people[slot]?.name ?? 'Not named' })),
    },
    { kind: 'heading', level: 2, text: 'What was checked, and by whom' },
    {
      kind: 'table',
      columns: ['Question', 'Answer', 'Checked by', 'When', 'Notes'],
      widths: [5, 1.3, 1.6, 1.3, 3],
      rows: REVIEW_CHECKLIST.map((item) => {
        const a = review.checklist[item.id];
        return [item.question, a ? ANSWER_LABELS[a.status] : 'Not answered', a?.checkedByName ?? '', a?.checkedOn ?? '', a?.notes ?? ''];
      }),
    },
    { kind: 'heading', level: 2, text: 'Automatic checks against the live filter' },
  ];
  const run = review.latestRun;
  if (!run) blocks.push({ kind: 'paragraph', text: 'The automatic checks have not been run for this review.' });
  else {
    blocks.push({
      kind: 'paragraph',
      text: `Run ${time(run.runAt)}${run.runByName ? ` by ${run.runByName}` : ''}: ${run.passed} passed, ${run.failed} failed. Each test address was decided by the filter exactly as a request from that profile would be; each monitoring phrase was scanned with the school's keyword library.`,
    });
    blocks.push({
      kind: 'table',
      caption: 'Results, failures first',
      columns: ['Result', 'Profile', 'Category', 'Test', 'Expected', 'Outcome', 'Detail'],
      widths: [1.1, 1.6, 2, 2.2, 1.1, 1.1, 4],
      rows: run.results.map((r) => [
        r.passed ? 'Passed' : 'FAILED',
        r.profileName,
        r.categoryLabel,
        r.target || '—',
        r.expected,
        r.outcome,
        r.detail,
      ]),
    });
  }
  if (review.runs.length > 1) {
    blocks.push({
      kind: 'table',
      caption: 'Earlier runs',
      columns: ['When', 'By', 'Passed', 'Failed'],
      rows: review.runs.slice(1).map((r) => [time(r.runAt), r.runByName ?? '', String(r.passed), String(r.failed)]),
    });
  }
  blocks.push({ kind: 'heading', level: 2, text: 'Decisions' });
  blocks.push({ kind: 'paragraph', text: review.decisions || 'None recorded.' });
  blocks.push({ kind: 'heading', level: 2, text: 'Actions' });
  blocks.push({
    kind: 'table',
    columns: ['Action', 'Owner', 'Due'],
    widths: [5, 2, 1.3],
    rows: review.actions.map((a) => [a.what, a.ownerName, a.due]),
  });
  blocks.push({ kind: 'heading', level: 2, text: 'Sign-off' });
  blocks.push(
    review.signOff
      ? {
          kind: 'facts',
          items: [
            { label: 'Signed off by', value: review.signOff.by.name },
            { label: 'On', value: time(review.signOff.at) },
            { label: 'Note', value: review.signOff.note || '—' },
          ],
        }
      : { kind: 'paragraph', text: `Not signed off yet.${review.missing.length ? ` Still to do: ${review.missing.join('; ')}.` : ''}` },
  );
  return {
    title: review.title,
    subtitle: 'Filtering and monitoring review (DfE filtering and monitoring standards)',
    blocks,
    footer: `${schoolName} · ${review.title} · generated ${time(generatedAt.toISOString())}`,
  };
}
