/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a
 * formula, so a name or a phrase from an import could run when a governor opens an export.
 * Such a cell is written behind an apostrophe, the usual sign for "text".
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

export const spreadsheetSafe = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);
