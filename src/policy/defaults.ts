import type { CommunicationRow } from './wire.js';

export const DEFAULT_POLICY_TITLE = 'E-safety policy';

export const DEFAULT_MONITORING_CYCLE = 'The DSL reports to governors each term; the e-safety governor reviews incident and filtering logs';

export const DEFAULT_REVIEW_MONTHS = 12;
/** The longest review period: the policies review yearly, the standards at least once a year. */
export const MAX_REVIEW_MONTHS = 36;

/** Markers in a school's text where the generated tables go. */
export const TABLE_MARKERS = {
  userActions: '{{user-actions}}',
  communications: '{{communications}}',
  sanctions: '{{sanctions}}',
} as const;

/** Seed 002's communication technologies table, row for row and mark for mark. */
export const DEFAULT_COMMUNICATIONS: readonly CommunicationRow[] = [
  { label: 'Mobile phones may be brought to school', staff: 'A', students: 'A' },
  { label: 'Use of mobile phones in lessons', staff: 'CT', students: 'SP' },
  { label: 'Use of mobile phones in social time', staff: 'A', students: 'NA' },
  { label: 'Taking photos of others on mobile phones / cameras', staff: 'NA', students: 'NA' },
  { label: 'Taking photos of work on mobile phones / cameras', staff: 'NA', students: 'SP' },
  { label: 'Use of other mobile devices e.g. tablets, gaming devices', staff: 'A', students: 'SP' },
  { label: 'Use of personal email addresses in school, or on school network', staff: 'CT', students: 'SP' },
  { label: 'Use of school email for personal emails', staff: 'NA', students: 'NA' },
  { label: 'Use of messaging apps', staff: 'CT', students: 'SP' },
  { label: 'Use of social media', staff: 'CT', students: 'SP' },
  { label: 'Use of blogs', staff: 'A', students: 'A' },
];

/**
 * A plain-language e-safety policy following the structure of the policies schools already
 * have (purpose and scope, roles, education, technical, communications, unsuitable activities,
 * responding to incidents, agreements, images, review). Schools edit it as a draft; the
 * markers stay where the generated tables belong.
 */
export const DEFAULT_POLICY_MD = `# Purpose and scope

This policy sets out how our school keeps everyone safe online. It applies to all members of the school community (staff, students, volunteers, governors, parents and carers, visitors and community users) who use the school's systems and devices, in school or from home, and to personal devices brought onto the school site.

It sits beside our safeguarding and child protection policy, our behaviour policy and our data protection policy. It follows Keeping Children Safe in Education and the DfE filtering and monitoring standards.

# Roles and responsibilities

### Governors

- approve this policy and review how well it works;
- appoint an e-safety governor who meets the designated safeguarding lead (DSL) regularly, reviews incident logs and the filtering and monitoring logs, and reports to the governing body;
- make sure the annual review of filtering and monitoring takes place and is signed off.

### Headteacher and senior leadership team

- hold the duty of care for the safety, including online safety, of everyone in the school;
- make sure the DSL and other staff have the time, training and resources their roles need;
- know what to do if an allegation about online conduct is made against a member of staff;
- receive regular reports from the DSL.

### Designated safeguarding lead

- takes lead responsibility for online safety, including filtering and monitoring;
- acts on alerts from monitoring and on blocked attempts to reach harmful content;
- keeps the log of e-safety incidents and uses it to improve what the school does;
- makes sure staff know how to report a concern and receive training;
- reports to governors each term.

### Network manager and technical staff

- keep the school's systems secure and the filtering and monitoring working as this policy sets out;
- make every change to filtering through the change-control log, with a reason;
- make sure access to systems is through personal accounts with strong passwords;
- tell the DSL at once of anything that suggests a child may be at risk.

### Teaching and support staff

- know this policy and follow the staff acceptable use agreement;
- report any concern or suspected misuse to the DSL;
- use only school systems to communicate with students and parents, professionally;
- teach online safety in lessons and guide students to suitable sites;
- supervise the use of devices in lessons.

### Students

- follow the acceptable use agreement for their age;
- tell a trusted adult if something online worries them, happens to them or to a friend;
- understand that the rules apply outside school when what they do affects the school community.

### Parents and carers

- support the school in promoting online safety and accept the agreement on their child's behalf where asked;
- talk with their children about their life online and use the guidance the school sends home.

# Education and training

Online safety is taught across the curriculum, in every year, in a way that fits each age. Students learn to judge what they read, to protect their personal information, to respect others and to ask for help.

All staff receive e-safety training at induction and an annual refresher; the DSL has more detailed training. Governors are offered training too. Parents and carers receive information and invitations to sessions.

# Technical: filtering and monitoring

The school filters internet access by profile (for example by key stage, for staff and for guests) and monitors the use of school systems. What each profile may reach is set out in the User Actions table below, generated from the filter's live configuration, so this policy always says what the filter does.

Requests to unblock a site are made through the filter, are recorded and are decided by named staff. Blocks of illegal content cannot be lifted by anyone in school.

# Communications

The table below shows how the school considers the use of communication technologies by staff and by students.

{{communications}}

Staff communicate with students and parents only through official school systems, professionally. Anyone receiving a communication that makes them uncomfortable, or that is offensive or threatening, reports it at once.

# Unsuitable activities

Some activities online are illegal; others are legal but not appropriate in school. Users shall not visit sites, make, post, download, upload, transfer, communicate or pass on material, remarks, proposals or comments that contain or relate to the categories below, except where the table shows they are acceptable.

{{user-actions}}

# Responding to incidents

Any suspicion of illegal content or activity is reported to the DSL at once and, where it involves a child being at risk, dealt with under the safeguarding policy; the police are informed where the law requires. Evidence is preserved and never copied or shared.

Other incidents are dealt with promptly and in proportion, following the actions and sanctions below.

{{sanctions}}

# Acceptable use agreements

Every student, member of staff, volunteer, governor and guest accepts the acceptable use agreement for their group before using school systems, and again each school year. Parents accept on behalf of younger children.

# Images and video

The school asks parents and carers for consent before using images of their child, use by use, and respects their choices. Staff take images only on school equipment and never share them outside school systems.

# Schedule for monitoring and review

This policy is approved by the governing body and reviewed every year, or sooner after a serious incident or a significant change in technology, threats or guidance. The schedule above records when governors approved it, how it is monitored and when the next review is due.
`;
