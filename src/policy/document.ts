import { dayText } from '../export/dates.js';
import { type Block, markdownBlocks, type PrintDocument } from '../export/document.js';
import { TABLE_MARKERS } from './defaults.js';
import type { PolicyVersionRow } from './service.js';
import { communicationsBlocks, sanctionsBlocks, userActionsBlocks } from './tables.js';
import { POLICY_TABLE_TITLES, type PolicyDrift, type PolicyTableName, type PolicyTables } from './wire.js';

const MARKER_PATTERN = /\{\{(user-actions|communications|sanctions)\}\}/g;
const MARKER_TABLE: Record<string, PolicyTableName> = {
  [TABLE_MARKERS.userActions]: 'userActions',
  [TABLE_MARKERS.communications]: 'communications',
  [TABLE_MARKERS.sanctions]: 'sanctions',
};

function tableBlocks(name: PolicyTableName, tables: PolicyTables): Block[] {
  switch (name) {
    case 'userActions':
      return userActionsBlocks(tables.userActions);
    case 'communications':
      return communicationsBlocks(tables.communications);
    case 'sanctions':
      return sanctionsBlocks(tables.sanctions);
  }
}

/**
 * The school's text with the live tables where its markers are (the first, if a marker is
 * repeated). A table whose marker the school removed goes at the end, so the document always
 * carries every table the school enforces.
 */
export function bodyBlocks(bodyMd: string, tables: PolicyTables): Block[] {
  const blocks: Block[] = [];
  const placed = new Set<PolicyTableName>();
  let from = 0;
  for (const match of bodyMd.matchAll(MARKER_PATTERN)) {
    blocks.push(...markdownBlocks(bodyMd.slice(from, match.index)));
    const name = MARKER_TABLE[match[0]]!;
    // A table goes where its first marker is, once: repeated markers would multiply the document without adding to it.
    if (!placed.has(name)) blocks.push(...tableBlocks(name, tables));
    placed.add(name);
    from = match.index + match[0].length;
  }
  blocks.push(...markdownBlocks(bodyMd.slice(from)));
  const missing = (['userActions', 'communications', 'sanctions'] as const).filter((n) => !placed.has(n));
  if (missing.length > 0) {
    blocks.push({ kind: 'heading', level: 2, text: 'Tables generated from the live configuration' });
    for (const name of missing) {
      blocks.push({ kind: 'heading', level: 3, text: POLICY_TABLE_TITLES[name] });
      blocks.push(...tableBlocks(name, tables));
    }
  }
  return blocks;
}

/** The schedule block of seed 002: approval, monitoring and review, as facts. */
function scheduleFacts(row: PolicyVersionRow): Block {
  const approved = row.status === 'approved' && row.approved_on;
  return {
    kind: 'facts',
    items: [
      { label: 'Version', value: String(row.version) },
      { label: 'Status', value: approved ? 'Approved by governors' : 'Draft: not yet approved by governors' },
      ...(approved
        ? [
            { label: 'Approved on', value: dayText(row.approved_on!) },
            { label: 'Approved by', value: row.approved_by_body ?? '' },
            { label: 'Minute reference', value: row.minute_ref ?? '' },
          ]
        : []),
      { label: 'Monitoring', value: row.monitoring_cycle },
      {
        label: 'Next review',
        value: row.next_review_on
          ? `${dayText(row.next_review_on)}, or sooner after a serious incident or a significant change`
          : `${row.review_months} months after approval`,
      },
    ],
  };
}

/**
 * The policy version as one printable document, written out as HTML and as PDF from this same
 * value. The tables are the live ones, so the published policy says what is enforced; where
 * they have moved since governors approved the version, the document says so.
 */
export function policyDocument(
  row: PolicyVersionRow,
  tables: PolicyTables,
  drift: PolicyDrift | null,
  meta: { schoolName: string; generatedAt: Date; replacedBy?: Pick<PolicyVersionRow, 'version' | 'approved_on'> | null },
): PrintDocument {
  const draft = row.status === 'draft';
  const replaced = meta.replacedBy ?? null;
  const blocks: Block[] = [];
  // An old version printed from the record must not pass for the policy in force.
  if (replaced) {
    blocks.push({
      kind: 'paragraph',
      text: `This version is no longer in force: governors approved version ${replaced.version}${replaced.approved_on ? ` on ${dayText(replaced.approved_on)}` : ''} in its place. The tables below show the configuration in force now.`,
    });
  }
  blocks.push({ kind: 'heading', level: 2, text: 'Schedule for monitoring and review' }, scheduleFacts(row));
  if (drift && drift.changed.length > 0) {
    blocks.push({
      kind: 'paragraph',
      text: `Changed since governors approved this version on ${dayText(drift.approvedOn)}: ${drift.changed.map((n) => POLICY_TABLE_TITLES[n]).join(', ')}. The tables below show the configuration in force now; the changes go to governors at the next review.`,
    });
  }
  blocks.push(...bodyBlocks(row.body_md, tables));
  return {
    title: draft ? `DRAFT: ${row.title}` : replaced ? `REPLACED: ${row.title}` : row.title,
    subtitle: meta.schoolName,
    footer: `${meta.schoolName}, ${row.title}, version ${row.version}${draft ? ' (DRAFT)' : replaced ? ` (replaced by version ${replaced.version})` : ''}, generated ${meta.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    blocks,
  };
}
