/** What can be imported, the fields each kind fills, and how MIS column headings map onto them. */

/** `parents` is the parent/carer links export: one row per contact–student link. */
export const IMPORT_KINDS = ['students', 'staff', 'parents', 'classes'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface FieldSpec {
  field: string;
  label: string;
  required: boolean;
  /** Column headings SIMS, Arbor and Bromcom use for this field, most specific first. */
  synonyms: readonly string[];
}

const field = (name: string, label: string, required: boolean, synonyms: readonly string[]): FieldSpec => ({
  field: name,
  label,
  required,
  synonyms,
});

const GIVEN = ['Forename', 'Legal Forename', 'First name', 'Firstname', 'Given name'];
const FAMILY = ['Surname', 'Legal Surname', 'Last name', 'Lastname', 'Family name'];
const PREFERRED = ['Preferred Forename', 'Preferred name', 'Known as', 'Chosen name'];
const YEAR = ['Year', 'Year Group', 'NC Year', 'NC Year Actual', 'Curriculum Year', 'Yr'];
const STUDENT_ID = ['UPN', 'Pupil ID', 'Student MIS ID', 'Student ID', 'Admission No', 'Admission Number', 'Adno'];

export const KIND_FIELDS: Record<ImportKind, readonly FieldSpec[]> = {
  students: [
    field('misId', 'MIS id (UPN or admission number)', true, [
      'UPN',
      'Admission No',
      'Admission Number',
      'Adno',
      'MIS ID',
      'Pupil ID',
      'Student ID',
    ]),
    field('givenName', 'Forename', true, GIVEN),
    field('familyName', 'Surname', true, FAMILY),
    field('preferredName', 'Preferred forename', false, PREFERRED),
    field('yearGroup', 'Year group', true, YEAR),
    field('dateOfBirth', 'Date of birth', false, ['DOB', 'Date of Birth', 'Birth date']),
    field('email', 'Email', false, ['Email', 'Email Address', 'School Email', 'Primary Email']),
    field('tutorGroup', 'Registration / tutor group', false, [
      'Reg Group',
      'Registration Group',
      'Form',
      'Tutor Group',
      'Form Group',
      'Reg',
    ]),
  ],
  staff: [
    field('misId', 'Staff MIS id', true, ['Staff ID', 'Staff Code', 'Employee ID', 'Employee No', 'Employee Number', 'MIS ID']),
    field('givenName', 'Forename', true, GIVEN),
    field('familyName', 'Surname', true, FAMILY),
    field('preferredName', 'Preferred forename', false, PREFERRED),
    field('jobTitle', 'Job title', false, ['Role', 'Job Title', 'Post']),
    field('email', 'Email', false, ['Email', 'Work Email', 'Email Address', 'School Email']),
    field('roles', "Tutela roles (';'-separated)", false, ['Roles', 'Tutela Roles', 'Tutela Role']),
    field('team', 'Department / team', false, ['Department', 'Team', 'Dept', 'Faculty']),
  ],
  parents: [
    field('parentMisId', 'Contact MIS id', true, ['Contact ID', 'Parent ID', 'Contact MIS ID', 'Parent MIS ID']),
    field('parentGivenName', 'Contact forename', true, [
      'Contact Forename',
      'Parent Forename',
      'Contact First name',
      'Parent First name',
      'Parent Given name',
    ]),
    field('parentFamilyName', 'Contact surname', true, [
      'Contact Surname',
      'Parent Surname',
      'Contact Last name',
      'Parent Last name',
      'Parent Family name',
    ]),
    field('parentEmail', 'Contact email', false, ['Contact Email', 'Parent Email', 'Email', 'Email Address']),
    field('studentMisId', 'Student MIS id (UPN)', true, STUDENT_ID),
    field('relationship', 'Relationship', false, ['Relationship', 'Relationship to Pupil', 'Relation']),
    field('parentalResponsibility', 'Parental responsibility (Y/N)', false, [
      'Parental Responsibility',
      'Has Parental Responsibility',
      'PR',
    ]),
    field('priority', 'Contact priority', false, ['Priority', 'Contact Priority', 'Contact Order']),
  ],
  classes: [
    field('classCode', 'Class code', true, ['Class', 'Class Code', 'Group', 'Class Name Code']),
    field('className', 'Class name', false, ['Class Name', 'Description', 'Group Name']),
    field('subject', 'Subject', false, ['Subject', 'Subject Name']),
    field('yearGroup', 'Year group', false, YEAR),
    field('teacherMisId', 'Teacher staff id', false, ['Teacher', 'Staff ID', 'Teacher ID', 'Staff Code', 'Teacher Code']),
    field('studentMisId', 'Student MIS id (UPN)', true, STUDENT_ID),
  ],
};

const normalise = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * For each field, the first heading in the file that matches one of its synonyms (or its own
 * name), or null. A heading already taken by an earlier field is not offered twice.
 *
 * @example
 *   suggestMapping('students', ['Adno', 'Legal Surname'])
 *   // { misId: 'Adno', familyName: 'Legal Surname', givenName: null, ... }
 */
export function suggestMapping(kind: ImportKind, headers: readonly string[]): Record<string, string | null> {
  const taken = new Set<number>();
  const mapping: Record<string, string | null> = {};
  for (const spec of KIND_FIELDS[kind]) {
    mapping[spec.field] = null;
    for (const candidate of [spec.field, ...spec.synonyms].map(normalise)) {
      const index = headers.findIndex((h, i) => !taken.has(i) && normalise(h) === candidate);
      if (index !== -1) {
        taken.add(index);
        mapping[spec.field] = headers[index]!;
        break;
      }
    }
  }
  return mapping;
}

export interface ColumnMapping {
  /** Column index per mapped field; fields left out are not imported and keep their stored values. */
  columns: Map<string, number>;
  problems: { field?: string; reason: string }[];
}

/**
 * The columns to read: the user's explicit choice per field wins (an empty string means "do
 * not import this field"), otherwise the suggestion. Every required field must end up mapped.
 */
export function resolveMapping(kind: ImportKind, headers: readonly string[], explicit: Record<string, string> = {}): ColumnMapping {
  const specs = KIND_FIELDS[kind];
  const suggested = suggestMapping(kind, headers);
  const problems: ColumnMapping['problems'] = [];
  const columns = new Map<string, number>();
  for (const name of Object.keys(explicit)) {
    if (!specs.some((s) => s.field === name)) {
      problems.push({
        field: name,
        reason: `"${name}" is not a field of a ${kind} import; fields are ${specs.map((s) => s.field).join(', ')}`,
      });
    }
  }
  for (const spec of specs) {
    const chosen = Object.hasOwn(explicit, spec.field) ? explicit[spec.field]!.trim() : suggested[spec.field];
    if (chosen) {
      const index = headers.indexOf(chosen);
      if (index === -1) problems.push({ field: spec.field, reason: `the column "${chosen}" chosen for ${spec.label} is not in the file` });
      else columns.set(spec.field, index);
    } else if (spec.required) {
      problems.push({
        field: spec.field,
        reason: `no column for the required field ${spec.label} (${spec.field}); expected a heading such as ${spec.synonyms
          .slice(0, 3)
          .map((s) => `"${s}"`)
          .join(', ')}, or map a column to it`,
      });
    }
  }
  return { columns, problems };
}
