import { type EmailBook, GOVERNOR_DOMAIN } from './identifiers.js';
import { adultGivenName, asciiFold, pickHeritage } from './names.js';
import type { Random } from './random.js';
import type { PlannedPerson } from './types.js';

/** Keeping Children Safe in Education expects a named governor for online safety. */
export const E_SAFETY_GOVERNOR = 'Safeguarding and E-Safety Governor';

const POSTS = [
  'Chair of Governors',
  'Vice-Chair of Governors',
  'Parent Governor',
  'Parent Governor',
  'Staff Governor',
  'Trust-appointed Governor',
  'Trust-appointed Governor',
  'Co-opted Governor (Finance)',
  'Co-opted Governor (SEND)',
  E_SAFETY_GOVERNOR,
];

const GUEST_DAYS = 30;

function adult(rng: Random): { givenName: string; familyName: string } {
  const heritage = pickHeritage(rng);
  return { givenName: adultGivenName(rng, heritage, rng.chance(0.5) ? 'f' : 'm'), familyName: rng.pick(heritage.surnames) };
}

export function buildGovernors(rng: Random, emails: EmailBook): PlannedPerson[] {
  return POSTS.map((jobTitle, i) => {
    const name = adult(rng);
    return {
      kind: 'governor',
      ...name,
      misId: `GOV${String(i + 1).padStart(2, '0')}`,
      email: emails.address(`${asciiFold(name.givenName)[0]}.${asciiFold(name.familyName)}`, GOVERNOR_DOMAIN),
      jobTitle,
      roles: ['governor'],
    };
  });
}

/** A visiting speaker whose access lapses on its own, as guest access should. */
export function buildGuest(rng: Random, emails: EmailBook, now: Date): PlannedPerson {
  const name = adult(rng);
  return {
    kind: 'guest',
    ...name,
    email: emails.address(`${asciiFold(name.givenName)}.${asciiFold(name.familyName)}`, 'example.org'),
    jobTitle: 'Visiting speaker (online safety workshop)',
    expiresAt: new Date(now.getTime() + GUEST_DAYS * 86_400_000).toISOString(),
    roles: ['guest'],
  };
}
