import type { IncidentCategory, SubjectKind } from '../categories.js';

/**
 * The actions a school may take after an incident, with stable ids (stored in the matrix and
 * on every recorded action, so an id is never renamed or reused). Labels follow the column
 * headings of the "Actions & Sanctions" tables in the Milford Haven policy.
 */
export const STUDENT_ACTIONS = [
  { id: 'refer_class_teacher', label: 'Refer to class teacher / tutor' },
  { id: 'refer_head_of_year', label: 'Refer to head of year / house / engagement team' },
  { id: 'refer_head_slt', label: 'Refer to headteacher / duty SLT' },
  { id: 'refer_police', label: 'Refer to police' },
  { id: 'refer_technical', label: 'Refer to technical support staff for action re filtering / security' },
  { id: 'inform_parents', label: 'Inform parents / carers' },
  { id: 'removal_of_internet', label: 'Removal of internet access rights' },
  { id: 'warning', label: 'Warning' },
  { id: 'further_sanction', label: 'Further sanction, e.g. detention / exclusion' },
] as const;

export const STAFF_ACTIONS = [
  { id: 'refer_line_manager', label: 'Refer to line manager' },
  { id: 'refer_headteacher', label: 'Refer to headteacher / principal' },
  { id: 'refer_la_hr', label: 'Refer to local authority / HR' },
  { id: 'refer_police', label: 'Refer to police' },
  { id: 'refer_technical', label: 'Refer to technical support staff for action re filtering' },
  { id: 'warning', label: 'Warning' },
  { id: 'suspension', label: 'Suspension' },
  { id: 'disciplinary_action', label: 'Disciplinary action' },
] as const;

export type StudentAction = (typeof STUDENT_ACTIONS)[number]['id'];
export type StaffAction = (typeof STAFF_ACTIONS)[number]['id'];
export type ResponseAction = StudentAction | StaffAction;

export const ACTIONS_FOR: Record<SubjectKind, readonly { id: ResponseAction; label: string }[]> = {
  student: STUDENT_ACTIONS,
  staff: STAFF_ACTIONS,
};

export const isActionFor = (audience: SubjectKind, id: string): id is ResponseAction => ACTIONS_FOR[audience].some((a) => a.id === id);

export const actionLabel = (id: string): string => [...STUDENT_ACTIONS, ...STAFF_ACTIONS].find((a) => a.id === id)?.label ?? id;

/** Actions that count as "a previous warning or sanction" when deciding whether an incident repeats. */
export const WARNING_OR_SANCTION: readonly ResponseAction[] = [
  'warning',
  'removal_of_internet',
  'further_sanction',
  'suspension',
  'disciplinary_action',
];

/** The matrix row that repeat infringements escalate to, in both tables. */
export const CONTINUED_INFRINGEMENTS = 'continued_infringements';

export interface MatrixRowDefault {
  incidentType: string;
  label: string;
  actions: readonly ResponseAction[];
}

/*
 * The default matrices, transcribed from seed 002 ("Students / Pupils Actions" and "Staff
 * Actions"): each row keeps its text as the label and exactly its X-marked columns. A test
 * parses the seed table and compares, so a transcription slip fails the build.
 */
export const DEFAULT_STUDENT_MATRIX: readonly MatrixRowDefault[] = [
  {
    // Deliberately accessing or trying to access material that could be considered illegal
    incidentType: 'illegal_material',
    label: 'Deliberately accessing or trying to access material that could be considered illegal',
    actions: ['refer_head_of_year', 'refer_head_slt', 'refer_police', 'inform_parents', 'removal_of_internet', 'further_sanction'],
  },
  {
    // Unauthorised use of non-educational sites during lessons
    incidentType: 'non_educational_sites_in_lessons',
    label: 'Unauthorised use of non-educational sites during lessons',
    actions: ['refer_class_teacher', 'further_sanction'],
  },
  {
    // Unauthorised use of mobile phone / digital camera / other mobile device
    incidentType: 'mobile_device',
    label: 'Unauthorised use of mobile phone / digital camera / other mobile device',
    actions: ['refer_class_teacher', 'further_sanction'],
  },
  {
    // Unauthorised use of social media / messaging apps / personal email
    incidentType: 'social_media_messaging',
    label: 'Unauthorised use of social media / messaging apps / personal email',
    actions: ['refer_class_teacher', 'refer_head_of_year', 'further_sanction'],
  },
  {
    // Unauthorised downloading or uploading of files
    incidentType: 'downloading_uploading',
    label: 'Unauthorised downloading or uploading of files',
    actions: ['refer_class_teacher', 'warning'],
  },
  {
    // Allowing others to access school network by sharing username and passwords
    incidentType: 'sharing_credentials',
    label: 'Allowing others to access school network by sharing username and passwords',
    actions: ['refer_head_of_year', 'refer_technical', 'removal_of_internet'],
  },
  {
    // Attempting to access or accessing the school network, using another student's / pupil's account
    incidentType: 'using_another_pupils_account',
    label: "Attempting to access or accessing the school network, using another student's / pupil's account",
    actions: ['refer_head_of_year', 'refer_technical', 'removal_of_internet'],
  },
  {
    // Attempting to access or accessing the school network, using the account of a member of staff
    incidentType: 'using_staff_account',
    label: 'Attempting to access or accessing the school network, using the account of a member of staff',
    actions: ['refer_head_of_year', 'refer_head_slt', 'refer_technical', 'inform_parents', 'removal_of_internet', 'further_sanction'],
  },
  {
    // Corrupting or destroying the data of other users
    incidentType: 'corrupting_data',
    label: 'Corrupting or destroying the data of other users',
    actions: ['refer_head_of_year', 'refer_head_slt', 'refer_technical', 'inform_parents', 'removal_of_internet', 'further_sanction'],
  },
  {
    // Sending an email, text or message that is regarded as offensive, harassment or of a bullying nature
    incidentType: 'offensive_bullying_message',
    label: 'Sending an email, text or message that is regarded as offensive, harassment or of a bullying nature',
    actions: [
      'refer_head_of_year',
      'refer_head_slt',
      'refer_police',
      'refer_technical',
      'inform_parents',
      'removal_of_internet',
      'further_sanction',
    ],
  },
  {
    // Continued infringements of the above, following previous warnings or sanctions
    incidentType: CONTINUED_INFRINGEMENTS,
    label: 'Continued infringements of the above, following previous warnings or sanctions',
    actions: [
      'refer_head_of_year',
      'refer_head_slt',
      'refer_police',
      'refer_technical',
      'inform_parents',
      'removal_of_internet',
      'further_sanction',
    ],
  },
  {
    // Actions which could bring the school into disrepute or breach the integrity of the ethos of the school
    incidentType: 'disrepute',
    label: 'Actions which could bring the school into disrepute or breach the integrity of the ethos of the school',
    actions: ['refer_head_of_year', 'refer_head_slt', 'refer_technical', 'inform_parents', 'removal_of_internet', 'further_sanction'],
  },
  {
    // Using proxy sites or other means to subvert the school's filtering system
    incidentType: 'proxy_subversion',
    label: "Using proxy sites or other means to subvert the school's filtering system",
    actions: ['refer_head_of_year', 'refer_technical'],
  },
  {
    // Accidentally accessing offensive or pornographic material and failing to report the incident
    incidentType: 'accidental_porn_not_reported',
    label: 'Accidentally accessing offensive or pornographic material and failing to report the incident',
    actions: ['refer_head_of_year', 'inform_parents', 'warning'],
  },
  {
    // Deliberately accessing or trying to access offensive or pornographic material
    incidentType: 'deliberate_porn',
    label: 'Deliberately accessing or trying to access offensive or pornographic material',
    actions: ['refer_head_of_year', 'refer_head_slt', 'refer_technical', 'inform_parents', 'removal_of_internet', 'further_sanction'],
  },
  {
    // Receipt or transmission of material that infringes the copyright of another person or infringes the Data Protection Act
    incidentType: 'copyright_data_protection',
    label: 'Receipt or transmission of material that infringes the copyright of another person or infringes the Data Protection Act',
    actions: ['refer_head_of_year', 'refer_head_slt', 'refer_technical', 'inform_parents', 'removal_of_internet', 'further_sanction'],
  },
];

export const DEFAULT_STAFF_MATRIX: readonly MatrixRowDefault[] = [
  {
    // Deliberately accessing or trying to access material that could be considered illegal
    incidentType: 'illegal_material',
    label: 'Deliberately accessing or trying to access material that could be considered illegal',
    actions: ['refer_headteacher', 'refer_la_hr', 'refer_police', 'suspension', 'disciplinary_action'],
  },
  {
    // Inappropriate personal use of the internet / social media / personal email
    incidentType: 'personal_use',
    label: 'Inappropriate personal use of the internet / social media / personal email',
    actions: ['refer_line_manager', 'refer_headteacher', 'warning'],
  },
  {
    // Unauthorised downloading or uploading of files
    incidentType: 'downloading_uploading',
    label: 'Unauthorised downloading or uploading of files',
    actions: ['refer_line_manager', 'refer_technical', 'warning'],
  },
  {
    // Allowing others to access school network by sharing username and passwords or attempting to
    // access or accessing the school network, using another person's account
    incidentType: 'sharing_or_using_credentials',
    label:
      "Allowing others to access school network by sharing username and passwords or attempting to access or accessing the school network, using another person's account",
    actions: ['refer_line_manager', 'refer_headteacher', 'refer_technical', 'warning', 'disciplinary_action'],
  },
  {
    // Careless use of personal data eg holding or transferring data in an insecure manner
    incidentType: 'careless_personal_data',
    label: 'Careless use of personal data, e.g. holding or transferring data in an insecure manner',
    actions: ['refer_headteacher', 'refer_technical', 'warning'],
  },
  {
    // Deliberate actions to breach data protection or network security rules
    incidentType: 'breach_data_protection_security',
    label: 'Deliberate actions to breach data protection or network security rules',
    actions: ['refer_headteacher', 'refer_technical', 'suspension', 'disciplinary_action'],
  },
  {
    // Corrupting or destroying the data of other users or causing deliberate damage to hardware or software
    incidentType: 'corrupting_data_damage',
    label: 'Corrupting or destroying the data of other users or causing deliberate damage to hardware or software',
    actions: ['refer_headteacher', 'refer_technical', 'suspension'],
  },
  {
    // Sending an email, text or message that is regarded as offensive, harassment or of a bullying nature
    incidentType: 'offensive_bullying_message',
    label: 'Sending an email, text or message that is regarded as offensive, harassment or of a bullying nature',
    actions: ['refer_headteacher', 'refer_police', 'refer_technical', 'suspension', 'disciplinary_action'],
  },
  {
    // Using personal email / social networking / instant messaging / text messaging to carrying out
    // digital communications with students / pupils
    incidentType: 'personal_communication_with_pupils',
    label:
      'Using personal email / social networking / instant messaging / text messaging to carry out digital communications with students / pupils',
    actions: ['refer_line_manager', 'refer_headteacher', 'refer_technical', 'warning', 'suspension', 'disciplinary_action'],
  },
  {
    // Actions which could compromise the staff member's professional standing
    incidentType: 'professional_standing',
    label: "Actions which could compromise the staff member's professional standing",
    actions: ['refer_line_manager', 'refer_headteacher', 'refer_technical', 'warning'],
  },
  {
    // Actions which could bring the school into disrepute or breach the integrity of the ethos of the school
    incidentType: 'disrepute',
    label: 'Actions which could bring the school into disrepute or breach the integrity of the ethos of the school',
    actions: ['refer_headteacher', 'refer_technical', 'warning', 'suspension', 'disciplinary_action'],
  },
  {
    // Using proxy sites or other means to subvert the school's filtering system
    incidentType: 'proxy_subversion',
    label: "Using proxy sites or other means to subvert the school's filtering system",
    actions: ['refer_headteacher', 'refer_technical', 'warning'],
  },
  {
    // Accidentally accessing offensive or pornographic material and failing to report the incident
    incidentType: 'accidental_porn_not_reported',
    label: 'Accidentally accessing offensive or pornographic material and failing to report the incident',
    actions: ['refer_line_manager', 'refer_headteacher', 'refer_technical', 'warning'],
  },
  {
    // Deliberately accessing or trying to access offensive or pornographic material
    incidentType: 'deliberate_porn',
    label: 'Deliberately accessing or trying to access offensive or pornographic material',
    actions: ['refer_headteacher', 'refer_la_hr', 'refer_police', 'refer_technical', 'suspension', 'disciplinary_action'],
  },
  {
    // Breaching copyright or licensing regulations
    incidentType: 'copyright_licensing',
    label: 'Breaching copyright or licensing regulations',
    actions: ['refer_line_manager', 'warning'],
  },
  {
    // Continued infringements of the above, following previous warnings or sanctions
    incidentType: CONTINUED_INFRINGEMENTS,
    label: 'Continued infringements of the above, following previous warnings or sanctions',
    actions: ['refer_headteacher', 'refer_la_hr', 'refer_technical', 'suspension', 'disciplinary_action'],
  },
];

export const DEFAULT_MATRIX: Record<SubjectKind, readonly MatrixRowDefault[]> = {
  student: DEFAULT_STUDENT_MATRIX,
  staff: DEFAULT_STAFF_MATRIX,
};

/**
 * The matrix row a concern's category suggests first; the responder may pick another. Chosen
 * as the row closest in meaning, per audience, so triage starts from a sensible default.
 */
export const SUGGESTED_TYPE: Record<IncidentCategory, Record<SubjectKind, string>> = {
  cyberbullying: { student: 'offensive_bullying_message', staff: 'offensive_bullying_message' },
  inappropriate_content: { student: 'deliberate_porn', staff: 'deliberate_porn' },
  illegal_content: { student: 'illegal_material', staff: 'illegal_material' },
  grooming_contact: { student: 'social_media_messaging', staff: 'personal_communication_with_pupils' },
  sexting_nudes: { student: 'offensive_bullying_message', staff: 'illegal_material' },
  radicalisation: { student: 'illegal_material', staff: 'illegal_material' },
  self_harm_suicide: { student: 'social_media_messaging', staff: 'professional_standing' },
  data_breach: { student: 'copyright_data_protection', staff: 'careless_personal_data' },
  misuse_of_systems: { student: 'corrupting_data', staff: 'corrupting_data_damage' },
  filter_circumvention: { student: 'proxy_subversion', staff: 'proxy_subversion' },
  account_misuse: { student: 'using_another_pupils_account', staff: 'sharing_or_using_credentials' },
  copyright: { student: 'copyright_data_protection', staff: 'copyright_licensing' },
  staff_conduct: { student: 'disrepute', staff: 'professional_standing' },
  other: { student: 'non_educational_sites_in_lessons', staff: 'personal_use' },
};
