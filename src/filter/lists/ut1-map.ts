import { type CategoryId, LOCKED_CATEGORIES } from '../categories.js';

/**
 * Every UT1 category folder, mapped to the Tutela category its entries go into, or null when
 * Tutela ignores it. docs/filtering/lists.md explains each choice in a table.
 *
 * Null is used for UT1's allow lists (`liste_blanche`, `liste_bu`, `child`, `sexual_education`, the
 * French exam lists), for topics no school policy blocks as such (banks, cooking,
 * sports…), and for folders whose entries would do more harm than good in a school.
 *
 * A folder that is a link (`porn -> adult`) is read once, under its target, and follows the
 * target's mapping; a link's own entry here only matters when a copy ships it as a real folder.
 *
 * No UT1 folder may map to a locked illegal category: those come only from the licensed lists
 * a school or provider configures (see locked.ts); the module refuses to load otherwise.
 */
export const UT1_CATEGORY_MAP: Readonly<Record<string, CategoryId | null>> = {
  adult: 'pornography',
  porn: 'pornography',
  agressif: 'hate_speech',
  aggressive: 'hate_speech',
  violence: 'violence',
  dangerous_material: 'violence',
  drogue: 'drugs',
  drugs: 'drugs',
  gambling: 'gambling',
  arjel: 'gambling',
  fakenews: 'misinformation',
  warez: 'piracy',
  malware: 'malware_hacking',
  phishing: 'malware_hacking',
  hacking: 'malware_hacking',
  cryptojacking: 'malware_hacking',
  ddos: 'malware_hacking',
  stalkerware: 'malware_hacking',
  dialer: 'malware_hacking',
  vpn: 'circumvention',
  redirector: 'circumvention',
  proxy: 'circumvention',
  doh: 'circumvention',
  'residential-proxies': 'circumvention',
  publicite: 'ads',
  ads: 'ads',
  marketingware: 'ads',
  lingerie: 'adult_other',
  mixed_adult: 'adult_other',
  social_networks: 'social_media',
  chat: 'messaging_chat',
  games: 'games',
  educational_games: 'educational_games',
  'audio-video': 'video_streaming',
  radio: 'video_streaming',
  filehosting: 'file_sharing',
  download: 'file_sharing',
  webmail: 'webmail',
  mail: 'webmail',
  shopping: 'shopping',
  dating: 'dating',
  // Ignored: allow lists and lists meant for one French use.
  liste_blanche: null,
  liste_bu: null,
  exceptions_liste_bu: null,
  child: null,
  sexual_education: null,
  examen_pix: null,
  tricheur_pix: null,
  // Ignored: stricter copies of `redirector` for squidGuard that also cut search engines' image
  // results; Tutela reads `redirector` itself and enforces safe search instead.
  strict_redirector: null,
  strong_redirector: null,
  // Ignored: topics with no category in a school policy, or tools staff rely on.
  ai: null,
  associations_religieuses: null,
  astrology: null,
  bank: null,
  bitcoin: null,
  blog: null,
  celebrity: null,
  cleaning: null,
  cooking: null,
  'dynamic-dns': null,
  financial: null,
  forums: null,
  jobsearch: null,
  manga: null,
  'mobile-phone': null,
  press: null,
  reaffected: null,
  'remote-control': null,
  sect: null,
  shortener: null,
  special: null,
  sports: null,
  translation: null,
  tricheur: null,
  update: null,
  webhosting: null,
};

for (const [folder, category] of Object.entries(UT1_CATEGORY_MAP)) {
  if (category && LOCKED_CATEGORIES.includes(category)) {
    throw new Error(`UT1 folder ${folder} must not map to the locked category ${category}`);
  }
}

/** The Tutela category for a UT1 folder: a category, null (ignored on purpose) or undefined (unknown). */
export function ut1Category(folder: string): CategoryId | null | undefined {
  return Object.hasOwn(UT1_CATEGORY_MAP, folder) ? UT1_CATEGORY_MAP[folder] : undefined;
}
