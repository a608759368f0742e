import { randomInt } from 'node:crypto';
import argon2 from 'argon2';
import { AppError } from '../errors/errors.js';

// OWASP's argon2id baseline (19 MiB, t=2, p=1): strong, yet quick enough on a 2-core school server.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so unknown usernames cannot be told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-at-all');
  await verifyPassword(await dummyHash, password);
}

/** Length is what matters (NCSC); we refuse only the short and the obvious. */
export function checkPasswordStrength(password: string, username: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `Passwords must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw new AppError('validation_failed', 'Passwords must not contain the username');
  }
}

const WORDS = [
  'amber',
  'badger',
  'canal',
  'dolphin',
  'ember',
  'falcon',
  'garden',
  'harbour',
  'island',
  'juniper',
  'kestrel',
  'lantern',
  'meadow',
  'nettle',
  'orchard',
  'pebble',
  'quarry',
  'river',
  'saddle',
  'thistle',
  'upland',
  'valley',
  'willow',
  'yonder',
  'zephyr',
  'copper',
  'bramble',
  'heron',
  'maple',
  'otter',
  'puffin',
  'rowan',
];

/** A memorable generated password: four words and two digits (about 46 bits). */
export function generatePassword(): string {
  const words = Array.from({ length: 4 }, () => WORDS[randomInt(WORDS.length)]);
  return `${words.join('-')}-${randomInt(10, 100)}`;
}
