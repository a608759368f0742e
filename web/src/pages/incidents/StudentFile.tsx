/** A student's safeguarding chronology, with the moving-school and subject-access exports. */
export function StudentFile() {
  return null;
}
