/**
 * Calendar dates as reports name them, for the server's e-mails and pages and the web app alike.
 * Formatted from the date itself in UTC, so the server's own time zone never shifts a day.
 */
const LONG = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const atNoon = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, 12));
};

/** "Monday 23 November 2026" for `2026-11-23` (without the comma some CLDR versions put after the weekday). */
export function longDate(date: string): string {
  const parts = Object.fromEntries(LONG.formatToParts(atNoon(date)).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}
