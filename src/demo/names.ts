import { ENGLISH, IRISH, SCOTTISH, WELSH } from './names-british-isles.js';
import {
  ARABIC,
  BANGLADESHI,
  CARIBBEAN,
  CHINESE,
  GHANAIAN,
  INDIAN,
  NIGERIAN,
  PAKISTANI,
  POLISH,
  PORTUGUESE,
  ROMANIAN,
  SOMALI,
  TURKISH,
} from './names-wider.js';
import type { Random } from './random.js';

export interface Heritage {
  id: string;
  /** Relative share of families: roughly a diverse English town. */
  weight: number;
  girls: readonly string[];
  boys: readonly string[];
  /** The parents' and staff's generation. */
  women: readonly string[];
  men: readonly string[];
  surnames: readonly string[];
}

export type Gender = 'f' | 'm';

export const HERITAGES: readonly Heritage[] = [
  ENGLISH,
  WELSH,
  SCOTTISH,
  IRISH,
  POLISH,
  ROMANIAN,
  PORTUGUESE,
  TURKISH,
  PAKISTANI,
  BANGLADESHI,
  INDIAN,
  SOMALI,
  NIGERIAN,
  GHANAIAN,
  CARIBBEAN,
  CHINESE,
  ARABIC,
];

const WEIGHTED = HERITAGES.map((h) => [h, h.weight] as const);

export const pickHeritage = (rng: Random): Heritage => rng.weighted(WEIGHTED);

/** Second-generation families often choose names from beyond their heritage; this keeps classes mixed. */
const CROSSOVER = 0.08;

export function childGivenName(rng: Random, heritage: Heritage, gender: Gender): string {
  const h = rng.chance(CROSSOVER) ? pickHeritage(rng) : heritage;
  return rng.pick(gender === 'f' ? h.girls : h.boys);
}

export function adultGivenName(rng: Random, heritage: Heritage, gender: Gender): string {
  return rng.pick(gender === 'f' ? heritage.women : heritage.men);
}

/** What a student is called in class, when it differs from the legal name the MIS holds. */
const PREFERRED: Readonly<Record<string, readonly string[]>> = {
  Alexander: ['Alex', 'Xander'],
  Alexandra: ['Alex', 'Sasha'],
  Aleksandra: ['Ola'],
  Oliver: ['Ollie'],
  Thomas: ['Tom', 'Tommy'],
  William: ['Will', 'Billy'],
  Joshua: ['Josh'],
  Samuel: ['Sam'],
  Daniel: ['Dan', 'Danny'],
  Benjamin: ['Ben'],
  Charlotte: ['Lottie'],
  Elizabeth: ['Libby', 'Beth'],
  Matilda: ['Tilly'],
  Florence: ['Flo'],
  Oluwadamilare: ['Dami'],
  Chukwuemeka: ['Emeka'],
  Oluwatobi: ['Tobi'],
  Temitope: ['Temi'],
  Tolulope: ['Tolu'],
  Babajide: ['Jide'],
  Abdirahman: ['Abdi'],
  Wojciech: ['Wojtek'],
  Jaskaran: ['Jas'],
  Franciszek: ['Franek'],
};

export function preferredName(rng: Random, given: string): string | null {
  const options = PREFERRED[given];
  return options && rng.chance(0.6) ? rng.pick(options) : null;
}

const FOLD: Readonly<Record<string, string>> = { ł: 'l', Ł: 'L', ı: 'i', ø: 'o', ß: 'ss', æ: 'ae', đ: 'd' };

/**
 * Lower-case ASCII letters only, for email addresses: accents dropped, apostrophes, spaces
 * and hyphens removed ("O'Brien" → "obrien", "Łucja" → "lucja", "Ó Briain" → "obriain").
 */
export function asciiFold(name: string): string {
  return name
    .replace(/[łŁıøßæđ]/g, (c) => FOLD[c] ?? c)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
