/** The governors' view: anonymised incident counts with trends, and the anonymised log export. */
export function IncidentFigures() {
  return null;
}
