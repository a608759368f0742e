/** The retention job: what it would archive, past runs, and archived incidents. */
export function Retention() {
  return null;
}
