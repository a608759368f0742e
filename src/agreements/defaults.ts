import type { AgreementAudience } from '../db/tables.js';

/*
 * Version 1 of every agreement, written for the people who read it: a few "I will" lines a
 * parent reads with a five-year-old, short sentences for juniors, fuller rules for secondary
 * students, and the professional agreement for staff. They follow the structure of the
 * acceptable-use sections of the schools' e-safety policies; a school edits them as new versions.
 */

const ACCEPT_LINE = 'By clicking **Accept** I acknowledge that I have read and understood this agreement and will follow it.';

const KS1 = `# Our computer rules

*A grown-up at home reads these with your child. When you click Accept, you are agreeing together.*

This is how we stay safe and kind when we use computers and tablets at school.

- I will only use computers and tablets when a grown-up says I can.
- I will only go on websites and games my teacher or a grown-up has shown me.
- I will keep my password a secret from my friends.
- I will tell a grown-up straight away if I see something that upsets me or makes me feel funny.
- I will never tell anyone online my name, where I live or my school.
- I will be kind to other people online, just like in the playground.
- I will look after the computers and tablets.

I know the school can see what I do on school computers, to keep me safe.

${ACCEPT_LINE}
`;

const KS2 = `# My acceptable use agreement

These rules help me stay safe and be fair to others when I use computers, tablets and the internet at school.

## Keeping myself safe
- I will keep my username and password safe. I will not share them or use anyone else's.
- I will not tell people online my full name, address, phone number or school.
- I will never agree to meet someone I have only met online.
- If I see something online that upsets me or worries me, I will tell a teacher or trusted adult straight away.
- I will not open e-mails or links from people I do not know.

## Using school computers
- School computers are for learning. I will ask before using them for anything else.
- I will not play games, watch videos or go on social media unless a teacher says I can.
- I will not download or install anything without permission.
- I will tell an adult if something is broken.

## Being kind and fair
- I will be polite and kind when I message or talk to others online.
- I will not take or share photos or videos of anyone without asking them first.
- I will not look at, change or delete other people's work.
- I will not copy other people's work and pretend it is mine.

## What happens
- I know the school checks what I do on school computers and the internet, to keep everyone safe.
- If I break these rules I might not be allowed to use the computers, and my parents or carers may be told.

${ACCEPT_LINE}
`;

const SECONDARY = `# Student acceptable use agreement

This agreement is meant to make sure that you can use the school's technology safely, that the school's
systems and users are protected, and that you know what is expected of you. It applies in school, and
out of school when you use school systems, devices or accounts.

## For my own personal safety
- I understand that the school monitors my use of its systems, devices and digital communications.
- I will keep my username and password safe and secure. I will not share them, nor try to use anyone else's. I will not write my password down where someone could find it.
- I will be aware of "stranger danger" when I communicate online. People are not always who they say they are.
- I understand that someone may try to gain my trust online to get personal information, images, video, account details or data from me. I will report any attempt like this to a trusted adult.
- I will not share personal information about myself or others online (names, addresses, e-mail addresses, phone numbers, age, gender, school details, financial details).
- I will not arrange to meet anyone offline whom I have only communicated with online, unless my parent or carer knows and an adult comes with me.
- I will immediately report any unpleasant or inappropriate material or messages, or anything that makes me feel uncomfortable.

## Using the school's systems fairly
- I understand that school systems and devices are for learning. I will not use them for personal or recreational use unless I have permission.
- I will not make large downloads or uploads unless I have permission.
- I will not use school systems or devices for chat rooms, social media, pornography, violent or extremist content, gambling, shopping or file sharing.
- I will not use school systems for online gaming or video streaming unless a member of staff has given me permission.

## Acting as I expect others to act towards me
- I will respect other people's work and property. I will not access, copy, remove or change anyone else's files without their knowledge and permission.
- I will be polite and responsible when I communicate with others. I will not use strong, aggressive or inappropriate language, and I accept that others may hold different opinions.
- I will not take or share images or video of anyone without their permission.
- I will not bully, harass or exclude anyone online, and I will report online bullying when I see it.

## Keeping the school's technology secure
- I will only use my own devices in school (including phones and USB drives) if I have permission, and I will follow the school's rules for them.
- I will immediately report any damage or faults involving equipment or software, however it happened.
- I will not open links or attachments in e-mails unless I know and trust the sender, because they may contain viruses or other harmful programs.
- I will not install, or try to install, programs of any kind on a school device, and I will not try to change computer settings or get round the school's filtering.

## Using the internet for research and learning
- I will only use sources I have permission to use, and I will say where I found them.
- Where work is protected by copyright, I will not download copies (including music and video).
- I understand that what I find online may not be true, and I will check it.

## Responsibility
- I understand that the school may act if I am involved in incidents of inappropriate behaviour covered by this agreement, both in and out of school (for example online bullying, sharing inappropriate images, or misusing personal information).
- I understand that if I do not follow this agreement I may lose access to the school network and internet, and face detentions, exclusion and contact with my parents or carers. Illegal activity will be reported to the police.

${ACCEPT_LINE}
`;

const STAFF = `# Staff and volunteer acceptable use agreement

School systems and devices are provided so that staff and volunteers can teach, support learning and run the
school. This agreement protects pupils, protects you, and protects the school's systems and data. It applies to
all staff, volunteers, supply staff, trainees and governors who use school systems, in school and when working
away from school.

## Monitoring
- I understand that the school monitors my use of its digital technology and communications systems, including e-mail and internet use, and that this monitoring is proportionate and lawful.
- I understand that these rules also apply when I use school systems, devices or accounts out of school, and when I use my own devices in school.

## Professional and personal safety
- I will keep my usernames and passwords private. I will not use anyone else's, and I will use multi-factor sign-in where the school requires it.
- I will lock or sign out of devices when I leave them, so that no one else can use my access.
- I will report any illegal, inappropriate or harmful material, or any incident of concern about a pupil's safety online, to the Designated Safeguarding Lead without delay, following the safeguarding policy.

## Communications with pupils and parents
- I will communicate with pupils and parents only through official school systems (school e-mail, the school's learning platform and approved apps), and in a professional tone.
- I will not give pupils my personal phone number, personal e-mail address or personal social media accounts, and I will not accept or make "friend" or "follow" requests with current pupils (or recent former pupils) on personal accounts.
- I will not take, store or share images of pupils on personal devices. I will only use school devices for images, and only where parents have given consent for that use.

## Social media
- I will not discuss pupils, parents, colleagues or school matters on personal social media, and I will not post anything that could bring the school or my profession into disrepute.
- I will check the privacy settings of my personal accounts and keep my professional and personal online life separate.
- I will only post on the school's official accounts with permission and in line with the school's social media guidance.

## Data protection
- I will handle personal data in line with the school's data protection policy and UK GDPR: only what my role needs, kept securely, never shared without a lawful reason.
- I will not take personal data out of school on removable media or personal devices unless it is encrypted and I have permission.
- I will report any loss of data or suspected data breach to the data protection lead immediately.

## Using the school's systems
- I will use school systems mainly for my work. Any personal use will be reasonable, in my own time, and never for anything illegal, offensive or against this agreement.
- I will not try to get round the school's filtering or security, install software without permission, or open links and attachments I do not trust.
- I will respect copyright and software licences.
- I will report faults, damage and security concerns to the IT team.

## Responsibility
- I understand that if I do not follow this agreement, the school may withdraw my access to its systems and take disciplinary action, and that illegal activity will be reported to the police and other authorities.

${ACCEPT_LINE}
`;

const PARENT = `# Parent and carer acceptable use agreement

Technology helps children learn, and we ask parents and carers to support the school in keeping children safe
online. This agreement covers your use of the school's systems (such as this one) and how you support your child.

## Supporting your child
- I have read my child's acceptable use agreement with them and will help them understand and follow it.
- I understand the school filters and monitors internet use on its systems to keep children safe, but no system can block everything; I will talk to my child about staying safe online at home too.
- I will tell the school if I have a concern about my child's safety online or about something that happens online involving pupils.

## Communicating with the school
- I will use the school's official channels to raise concerns, and not social media.
- I will not post comments about pupils, staff or the school online that are unkind, untrue or that identify other children.
- I will not post photos or videos taken at school events that show other people's children on social media without their parents' permission.

## Using the school's systems
- I will keep my sign-in details private and only use my account to see information about my own children.
- I will not try to access information or systems I have not been given access to.

${ACCEPT_LINE}
`;

const COMMUNITY = `# Guest and community user acceptable use agreement

You have been given access to the school's network or systems as a guest (for example a visitor, contractor,
trainee, supply worker or a member of a community group using the site). These rules apply while you do.

- I understand that my use of the school's network, internet and systems is filtered and monitored.
- I will use the access I have been given only for the purpose it was given, and only until it ends.
- I will keep any username and password I am given private, and sign out when I finish.
- I will not try to access, view or store anything illegal, offensive or inappropriate in a school, and I will not try to get round the school's filtering or security.
- I will not take, store or share images of pupils, and I will not contact pupils through any personal account or device.
- I will not install software or connect devices to school equipment without permission.
- I will respect the privacy of any personal information I see, and not share it.
- I will report anything that worries me about a child's safety, or any security problem, to the school office or the Designated Safeguarding Lead straight away.
- I understand that if I do not follow this agreement my access will be withdrawn, and illegal activity will be reported to the police.

${ACCEPT_LINE}
`;

export const DEFAULT_AGREEMENTS: Record<AgreementAudience, { title: string; bodyMd: string }> = {
  ks1: { title: 'Our computer rules (Reception to Year 2)', bodyMd: KS1 },
  ks2: { title: 'My acceptable use agreement (Years 3 to 6)', bodyMd: KS2 },
  secondary: { title: 'Student acceptable use agreement (Years 7 to 13)', bodyMd: SECONDARY },
  staff: { title: 'Staff and volunteer acceptable use agreement', bodyMd: STAFF },
  parent: { title: 'Parent and carer acceptable use agreement', bodyMd: PARENT },
  community: { title: 'Guest and community user acceptable use agreement', bodyMd: COMMUNITY },
};
