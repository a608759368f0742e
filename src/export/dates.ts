const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * "24 November 2026" for `2026-11-24`: a calendar date as printed documents and e-mails name it,
 * read at noon UTC so neither the server's nor the browser's time zone shifts the day.
 */
export function dayText(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return DAY_MONTH_YEAR.format(new Date(Date.UTC(y, m - 1, d, 12)));
}
