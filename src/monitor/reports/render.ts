/**
 * A report as one standalone HTML page with its charts drawn in inline SVG: the same page is
 * the e-mail's HTML part, the in-app view and the printable document. No chart library and
 * no script: mail clients and the print dialog get exactly what the server wrote. Every chart
 * has a table beside it with the same figures, for screen readers and for mail clients that
 * drop SVG.
 *
 * Two audiences: `app` (signed-in readers, with names and links to the alerts they may see)
 * and `email`, which never carries a name, because e-mail is not a safe channel for them.
 */
import { escapeHtml } from '../../export/html-document.js';
import { SEVERITIES, type Severity } from '../keywords/types.js';
import { PROFILE_LABELS } from '../model.js';
import { monitorCategoryLabel } from './daily.js';
import type { AlertSummary, DailyReportData, ReportAlert, ReportData, WeeklyReportData } from './types.js';
import { STATUS_LABELS } from './types.js';
import { longDate } from './dates.js';
import { localDateTime } from './period.js';

export interface RenderOptions {
  audience: 'app' | 'email';
  /** Where the report opens in the app; absolute in e-mail, null when the server's address is unknown. */
  reportUrl: string | null;
  /** App only: the alert lines this reader may see (the others are counted, never named). */
  visibleAlerts?: readonly ReportAlert[];
  /** App only: where an alert opens. */
  alertUrl?: (id: string) => string;
}

const COLOURS = { requests: '#2563eb', blocked: '#b91c1c', previous: '#9ca3af', alerts: '#7c3aed' };
const SEVERITY_COLOURS: Record<Severity, string> = { low: '#6b7280', medium: '#d97706', high: '#dc2626', critical: '#7f1d1d' };
const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const e = escapeHtml;
const n = (value: number) => value.toLocaleString('en-GB');
const pct = (rate: number | null) => (rate === null ? 'none triaged yet' : `${Math.round(rate * 100)}%`);

export function reportTitle(data: Pick<ReportData, 'kind' | 'firstDate' | 'lastDate'>): string {
  return data.kind === 'daily'
    ? `Daily internet-usage summary for ${longDate(data.firstDate)}`
    : `Weekly monitoring report for ${longDate(data.firstDate)} to ${longDate(data.lastDate)}`;
}

let chartSeq = 0;

interface Series {
  name: string;
  colour: string;
  values: number[];
}

/** Horizontal bars, one row per label, one bar per series: categories, hosts, groups. */
export function barChart(title: string, labels: readonly string[], series: readonly Series[]): string {
  if (labels.length === 0) return '';
  const id = `chart-${++chartSeq}`;
  const labelWidth = 230;
  const barArea = 360;
  const bar = 14;
  const rowHeight = series.length * bar + 10;
  const legend = series.length > 1 ? 22 : 0;
  const height = legend + labels.length * rowHeight + 6;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const parts: string[] = [];
  series.forEach((s, si) => {
    if (series.length > 1) {
      parts.push(
        `<rect x="${labelWidth + si * 130}" y="4" width="12" height="12" fill="${s.colour}"/><text x="${labelWidth + si * 130 + 16}" y="15" font-size="12">${e(s.name)}</text>`,
      );
    }
  });
  labels.forEach((label, li) => {
    const y = legend + li * rowHeight + 4;
    const short = label.length > 34 ? `${label.slice(0, 33)}…` : label;
    parts.push(`<text x="${labelWidth - 6}" y="${y + (series.length * bar) / 2 + 4}" font-size="12" text-anchor="end">${e(short)}</text>`);
    series.forEach((s, si) => {
      const value = s.values[li] ?? 0;
      const w = Math.round((value / max) * barArea);
      const by = y + si * bar;
      parts.push(
        `<rect x="${labelWidth}" y="${by}" width="${Math.max(w, value > 0 ? 1 : 0)}" height="${bar - 2}" fill="${s.colour}"/><text x="${labelWidth + w + 4}" y="${by + bar - 3}" font-size="11">${n(value)}</text>`,
      );
    });
  });
  const width = labelWidth + barArea + 60;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${id}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif"><title id="${id}">${e(title)}</title>${parts.join('')}</svg>`;
}

/** Vertical columns over a sequence (hours, days), grouped by series side by side. */
export function columnChart(title: string, labels: readonly string[], series: readonly Series[], minGroupWidth = 18): string {
  const id = `chart-${++chartSeq}`;
  const left = 44;
  const top = 24;
  const plot = 150;
  const group = Math.max(minGroupWidth, series.length * 9 + 6);
  // Never narrower than the legend above it.
  const width = Math.max(left + labels.length * group + 10, left + series.length * 130 + 10);
  const height = top + plot + 22;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const parts: string[] = [
    `<line x1="${left}" y1="${top + plot}" x2="${width - 6}" y2="${top + plot}" stroke="#555"/>`,
    `<text x="${left - 4}" y="${top + 10}" font-size="11" text-anchor="end">${n(max)}</text>`,
    `<text x="${left - 4}" y="${top + plot}" font-size="11" text-anchor="end">0</text>`,
  ];
  // A legend even for one series: two charts of a section then say which is which.
  series.forEach((s, si) => {
    parts.push(
      `<rect x="${left + si * 130}" y="4" width="12" height="12" fill="${s.colour}"/><text x="${left + si * 130 + 16}" y="15" font-size="12">${e(s.name)}</text>`,
    );
  });
  const barWidth = (group - 6) / series.length;
  labels.forEach((label, li) => {
    const x = left + li * group + 3;
    series.forEach((s, si) => {
      const value = s.values[li] ?? 0;
      const h = Math.round((value / max) * plot);
      parts.push(
        `<rect x="${(x + si * barWidth).toFixed(1)}" y="${top + plot - h}" width="${(barWidth - 1).toFixed(1)}" height="${h}" fill="${s.colour}"><title>${e(`${label}: ${n(value)} ${s.name.toLowerCase()}`)}</title></rect>`,
      );
    });
    parts.push(`<text x="${x + (group - 6) / 2}" y="${top + plot + 15}" font-size="10" text-anchor="middle">${e(label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${id}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif"><title id="${id}">${e(title)}</title>${parts.join('')}</svg>`;
}

function table(caption: string, headings: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return `<p>${e(caption)}: none.</p>`;
  return `<table><caption>${e(caption)}</caption><thead><tr>${headings.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const section = (heading: string, body: string) => `<section><h2>${e(heading)}</h2>${body}</section>`;

const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

function hoursSection(heading: string, hours: { requests: number[]; blocked: number[] }): string {
  const chart = columnChart(`${heading}: requests and blocks per hour of the day`, HOURS, [
    { name: 'Requests', colour: COLOURS.requests, values: hours.requests },
    { name: 'Blocked', colour: COLOURS.blocked, values: hours.blocked },
  ]);
  const busiest = hours.requests
    .map((count, hour) => ({ hour, count, blocked: hours.blocked[hour] ?? 0 }))
    .filter((h) => h.count > 0)
    .sort((a, b) => b.count - a.count || a.hour - b.hour)
    .slice(0, 5);
  return section(
    heading,
    `${chart}${table(
      'Busiest hours',
      ['Hour', 'Requests', 'Blocked'],
      busiest.map((h) => [`${HOURS[h.hour]}:00–${HOURS[h.hour]}:59`, n(h.count), n(h.blocked)]),
    )}`,
  );
}

function alertsSection(heading: string, alerts: AlertSummary, data: ReportData, options: RenderOptions): string {
  const categories = barChart(
    `${heading} by category`,
    alerts.byCategory.map((c) => c.label),
    [{ name: 'Alerts', colour: COLOURS.alerts, values: alerts.byCategory.map((c) => c.count) }],
  );
  const severities = table(
    'Alerts by severity',
    ['Severity', 'Alerts'],
    [...SEVERITIES].reverse().map((s) => [`<span style="color:${SEVERITY_COLOURS[s]}">${e(s)}</span>`, n(alerts.bySeverity[s])]),
  );
  let lines = '';
  if (options.audience === 'app') {
    const visible = options.visibleAlerts ?? [];
    const link = options.alertUrl ?? ((id: string) => `/monitoring/alerts/${encodeURIComponent(id)}`);
    lines = table(
      'The alerts',
      ['Alert', 'Who', 'Group', 'Severity', 'Now', 'Raised'],
      visible.map((a) => [
        `<a href="${e(link(a.id))}">${e(monitorCategoryLabel(a.category))}</a>`,
        e(a.who),
        e(PROFILE_LABELS[a.profile] ?? a.profile),
        e(a.severity),
        e(STATUS_LABELS[a.status]),
        e(localDateTime(new Date(a.createdAt), data.timeZone)),
      ]),
    );
    const hidden = alerts.total - visible.length;
    if (hidden > 0)
      lines += `<p class="hint">${n(hidden)} of these alerts are not listed for you: they are counted above, but each alert is shown only to those who may see it.</p>`;
  } else if (alerts.total > 0) {
    lines = `<p>Open the report in Tutela to see each alert and who it is about.</p>`;
  }
  return section(
    heading,
    `<p><strong>${n(alerts.total)}</strong> new alerts.</p>${categories}${table(
      'Alerts by category',
      ['Category', 'Alerts'],
      alerts.byCategory.map((c) => [e(c.label), n(c.count)]),
    )}${severities}${lines}`,
  );
}

function dailyBody(data: DailyReportData, options: RenderOptions): string {
  const blocked = barChart(
    'Top blocked categories',
    data.blockedCategories.map((c) => c.label),
    [{ name: 'Blocked', colour: COLOURS.blocked, values: data.blockedCategories.map((c) => c.count) }],
  );
  const parts = [
    section(
      'Totals',
      table(
        'Totals for the day',
        ['Measure', 'Count'],
        [
          ['Requests seen', n(data.totals.requests)],
          ['Blocked', n(data.totals.blocked)],
          ['New alerts', n(data.totals.alerts)],
          ['People blocked at least once', n(data.peopleBlocked)],
        ],
      ),
    ),
    section(
      'Top blocked categories',
      `${blocked}${table(
        'Blocked categories',
        ['Category', 'Blocked'],
        data.blockedCategories.map((c) => [e(c.label), n(c.count)]),
      )}${
        data.blockedHosts.length > 0
          ? table(
              'Blocked without a category (reported by other filters), by site',
              ['Site', 'Blocked'],
              data.blockedHosts.map((h) => [e(h.label), n(h.count)]),
            )
          : ''
      }`,
    ),
  ];
  if (options.audience === 'app') {
    parts.push(
      section(
        'People with the most blocks',
        `${barChart(
          'People with the most blocks',
          data.people.map((p) => p.name),
          [{ name: 'Blocked', colour: COLOURS.blocked, values: data.people.map((p) => p.count) }],
        )}${table(
          'People with the most blocks',
          ['Name', 'Year group', 'Blocked'],
          data.people.map((p) => [
            e(p.name),
            p.yearGroup === null ? '—' : e(p.yearGroup === 0 ? 'Reception' : `Year ${p.yearGroup}`),
            n(p.count),
          ]),
        )}${table(
          'Blocks no one could be tied to, by device address',
          ['Address', 'Blocked'],
          data.addresses.map((a) => [e(a.label), n(a.count)]),
        )}`,
      ),
    );
  } else {
    const most = data.people[0]?.count ?? 0;
    parts.push(
      section(
        'People with the most blocks',
        `<p>${n(data.peopleBlocked)} people were blocked at least once${most > 0 ? `; the most for one person was ${n(most)}` : ''}. Names are not sent by e-mail: they are in the report in Tutela.</p>`,
      ),
    );
  }
  parts.push(alertsSection('New alerts', data.alerts, data, options));
  parts.push(hoursSection('Through the day', data.hours));
  return parts.join('');
}

const change = (now: number, before: number) => {
  if (before === 0) return now === 0 ? 'no change' : 'new this week';
  const delta = Math.round(((now - before) / before) * 100);
  return delta === 0 ? 'no change' : `${delta > 0 ? '+' : ''}${delta}%`;
};

function weeklyBody(data: WeeklyReportData, options: RenderOptions): string {
  const dayLabels = data.days.map((d, i) => `${WEEKDAY_NAMES[i]} ${Number(d.date.slice(8, 10))}`);
  const t = data.totals;
  const p = data.previousTotals;
  const parts = [
    section(
      'The week against the week before',
      table(
        'Totals',
        ['Measure', 'This week', 'Week before', 'Change'],
        [
          ['Requests seen', n(t.requests), n(p.requests), change(t.requests, p.requests)],
          ['Blocked', n(t.blocked), n(p.blocked), change(t.blocked, p.blocked)],
          ['New alerts', n(t.alerts), n(p.alerts), change(t.alerts, p.alerts)],
        ],
      ),
    ),
    section(
      'Day by day',
      `${columnChart('Blocked requests per day', dayLabels, [{ name: 'Blocked requests', colour: COLOURS.blocked, values: data.days.map((d) => d.blocked) }], 64)}${columnChart(
        'New alerts per day',
        dayLabels,
        [{ name: 'New alerts', colour: COLOURS.alerts, values: data.days.map((d) => d.alerts) }],
        64,
      )}${table(
        'Per day',
        ['Day', 'Requests', 'Blocked', 'Alerts'],
        data.days.map((d) => [e(longDate(d.date)), n(d.requests), n(d.blocked), n(d.alerts)]),
      )}`,
    ),
    section(
      'Blocked categories',
      `${barChart(
        'Top blocked categories, this week and the week before',
        data.blockedCategories.map((c) => c.label),
        [
          { name: 'This week', colour: COLOURS.blocked, values: data.blockedCategories.map((c) => c.total) },
          { name: 'Week before', colour: COLOURS.previous, values: data.blockedCategories.map((c) => c.previous) },
        ],
      )}${table(
        'Blocked categories per day',
        ['Category', ...WEEKDAY_NAMES, 'Week', 'Week before', 'Change'],
        data.blockedCategories.map((c) => [e(c.label), ...c.perDay.map(n), n(c.total), n(c.previous), change(c.total, c.previous)]),
      )}`,
    ),
    section(
      'Alerts by category',
      `${barChart(
        'Alerts by category, this week and the week before',
        data.alertCategories.map((c) => c.label),
        [
          { name: 'This week', colour: COLOURS.alerts, values: data.alertCategories.map((c) => c.total) },
          { name: 'Week before', colour: COLOURS.previous, values: data.alertCategories.map((c) => c.previous) },
        ],
      )}${table(
        'Alerts by category per day',
        ['Category', ...WEEKDAY_NAMES, 'Week', 'Week before', 'Change'],
        data.alertCategories.map((c) => [e(c.label), ...c.perDay.map(n), n(c.total), n(c.previous), change(c.total, c.previous)]),
      )}`,
    ),
    section(
      'By group',
      `${barChart(
        'Blocks by group',
        data.groups.map((g) => g.label),
        [
          { name: 'This week', colour: COLOURS.blocked, values: data.groups.map((g) => g.blocked) },
          { name: 'Week before', colour: COLOURS.previous, values: data.groups.map((g) => g.previousBlocked) },
        ],
      )}${table(
        'Blocks and alerts by key stage and year group',
        ['Group', 'Blocked', 'Week before', 'Alerts', 'Week before'],
        data.groups.map((g) => [e(g.label), n(g.blocked), n(g.previousBlocked), n(g.alerts), n(g.previousAlerts)]),
      )}`,
    ),
    section(
      'What became of the alerts',
      table(
        "Outcomes of the week's alerts, as they stand now",
        ['Outcome', 'This week', 'Week before'],
        [
          ['Open', n(data.outcomes.open), n(data.previousOutcomes.open)],
          ['False positive', n(data.outcomes.false_positive), n(data.previousOutcomes.false_positive)],
          ['Escalated to an incident', n(data.outcomes.escalated), n(data.previousOutcomes.escalated)],
          ['Closed', n(data.outcomes.closed), n(data.previousOutcomes.closed)],
          ['False-positive rate (of those triaged)', pct(data.outcomes.falsePositiveRate), pct(data.previousOutcomes.falsePositiveRate)],
        ],
      ),
    ),
    alertsSection("The week's alerts", data.alerts, data, options),
    hoursSection('Busiest hours', data.hours),
  ];
  return parts.join('');
}

const STYLE = `
body { font: 11pt/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 60em; padding: 0 1em; color: #111; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.2em; border-bottom: 1px solid #888; margin-top: 1.8em; }
table { border-collapse: collapse; margin: .6em 0 1em; min-width: 20em; } caption { text-align: left; font-weight: bold; padding: .2em 0; }
th, td { border: 1px solid #aaa; padding: .2em .5em; text-align: left; } td { font-variant-numeric: tabular-nums; }
svg.chart { display: block; max-width: 100%; height: auto; margin: .5em 0; }
.meta { color: #444; } .hint { color: #444; font-size: .95em; } .notice { border: 2px solid #000; padding: .5em 1em; }
section { break-inside: avoid-page; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } a { color: inherit; text-decoration: none; } .no-print { display: none; } }`;

/**
 * @example
 *   reply.type('text/html').send(renderReportHtml(data, { audience: 'app', reportUrl: null, visibleAlerts }));
 */
export function renderReportHtml(data: ReportData, options: RenderOptions): string {
  const title = reportTitle(data);
  const open = options.reportUrl ? `<p class="no-print"><a href="${e(options.reportUrl)}">Open this report in Tutela</a></p>` : '';
  const notice =
    options.audience === 'email'
      ? '<p class="notice">Pupils are not named in this e-mail. The full report, with names and links to each alert, is in Tutela under Monitoring, Reports.</p>'
      : '<p class="notice">Confidential: this report names pupils and staff. Keep printed copies with safeguarding records.</p>';
  const body = data.kind === 'daily' ? dailyBody(data, options) : weeklyBody(data, options);
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${e(title)}</h1><p class="meta">${e(data.school.name)}. School days run midnight to midnight, ${e(data.timeZone)} time.</p>${notice}${open}</header>
${body}
</body></html>
`;
}

/** The e-mail's plain-text part: the same figures, no names. */
export function renderReportText(data: ReportData, reportUrl: string | null): string {
  const lines = [reportTitle(data), data.school.name, ''];
  const t = data.totals;
  lines.push(`Requests seen: ${n(t.requests)}`, `Blocked: ${n(t.blocked)}`, `New alerts: ${n(t.alerts)}`);
  if (data.kind === 'weekly') {
    const p = data.previousTotals;
    lines.push(`(week before: ${n(p.requests)} requests, ${n(p.blocked)} blocked, ${n(p.alerts)} alerts)`);
    lines.push(
      '',
      "Outcomes of the week's alerts:",
      `  open ${n(data.outcomes.open)}, false positive ${n(data.outcomes.false_positive)}, escalated ${n(data.outcomes.escalated)}, closed ${n(data.outcomes.closed)}; false-positive rate ${pct(data.outcomes.falsePositiveRate)}`,
    );
  } else {
    const most = data.people[0]?.count ?? 0;
    lines.push(`People blocked at least once: ${n(data.peopleBlocked)}${most > 0 ? ` (the most for one person: ${n(most)})` : ''}`);
  }
  const categories =
    data.kind === 'daily'
      ? data.blockedCategories.map((c) => [c.label, c.count] as const)
      : data.blockedCategories.map((c) => [c.label, c.total] as const);
  if (categories.length > 0) {
    lines.push('', 'Top blocked categories:');
    for (const [label, count] of categories) lines.push(`  ${label}: ${n(count)}`);
  }
  if (data.alerts.total > 0) {
    lines.push('', 'New alerts by category:');
    for (const c of data.alerts.byCategory) lines.push(`  ${c.label}: ${n(c.count)}`);
    lines.push(
      `By severity: ${[...SEVERITIES]
        .reverse()
        .map((s) => `${s} ${n(data.alerts.bySeverity[s])}`)
        .join(', ')}`,
    );
  }
  lines.push('', 'Pupils are not named in e-mail. The full report, with names and each alert, is in Tutela under Monitoring, Reports.');
  if (reportUrl) lines.push(reportUrl);
  return `${lines.join('\n')}\n`;
}
