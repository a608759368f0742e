/**
 * Tutela's content categories. The ids are stable: policies, list imports, events and reports
 * store them, so an id is never renamed or reused. The first group follows the UK Safer
 * Internet Centre's "appropriate filtering" content list; the second holds the services a
 * school decides on for itself. docs/FILTERING.md lists them with the UT1 mapping.
 */
export const CATEGORIES = [
  // Illegal: enforced from locked lists that nothing can allow.
  { id: 'illegal_csam', label: 'Child sexual abuse content (IWF list)', group: 'illegal' },
  { id: 'illegal_terrorism', label: 'Unlawful terrorist content (CTIRU list)', group: 'illegal' },
  // Harmful content (UKSIC appropriate filtering).
  { id: 'discrimination', label: 'Discrimination', group: 'harmful' },
  { id: 'hate_speech', label: 'Hate speech', group: 'harmful' },
  { id: 'drugs', label: 'Drugs and substance abuse', group: 'harmful' },
  { id: 'extremism', label: 'Extremism', group: 'harmful' },
  { id: 'gambling', label: 'Gambling', group: 'harmful' },
  { id: 'malware_hacking', label: 'Malware, phishing and hacking', group: 'harmful' },
  { id: 'misinformation', label: 'Mis- and disinformation', group: 'harmful' },
  { id: 'pornography', label: 'Pornography', group: 'harmful' },
  { id: 'piracy', label: 'Piracy and copyright theft', group: 'harmful' },
  { id: 'self_harm', label: 'Self-harm, suicide and eating disorders', group: 'harmful' },
  { id: 'violence', label: 'Violence', group: 'harmful' },
  // Services the school decides on.
  { id: 'social_media', label: 'Social media', group: 'service' },
  { id: 'messaging_chat', label: 'Messaging and chat', group: 'service' },
  { id: 'games', label: 'Online games (non-educational)', group: 'service' },
  { id: 'educational_games', label: 'Online games (educational)', group: 'service' },
  { id: 'video_streaming', label: 'Video streaming and broadcasting', group: 'service' },
  { id: 'shopping', label: 'Online shopping and commerce', group: 'service' },
  { id: 'dating', label: 'Dating', group: 'service' },
  { id: 'webmail', label: 'Webmail', group: 'service' },
  { id: 'file_sharing', label: 'File sharing and hosting', group: 'service' },
  { id: 'circumvention', label: 'Filter circumvention (VPN, proxies, anonymisers, DNS-over-HTTPS)', group: 'service' },
  { id: 'ads', label: 'Advertising and trackers', group: 'service' },
  { id: 'adult_other', label: 'Other adult content (lingerie, mixed adult)', group: 'service' },
] as const;

export type CategoryId = (typeof CATEGORIES)[number]['id'];
export type CategoryGroup = (typeof CATEGORIES)[number]['group'];

export const CATEGORY_IDS: readonly CategoryId[] = CATEGORIES.map((c) => c.id);

/** The categories whose lists are locked: loaded from configured files or URLs, never allowed. */
export const LOCKED_CATEGORIES: readonly CategoryId[] = ['illegal_csam', 'illegal_terrorism'];

/** Blocks in these categories notify the DSL unless the school changes the set. */
export const DEFAULT_ALERTING_CATEGORIES: readonly CategoryId[] = ['illegal_csam', 'illegal_terrorism', 'extremism', 'self_harm'];

const byId = new Map<string, (typeof CATEGORIES)[number]>(CATEGORIES.map((c) => [c.id, c]));

export const isCategoryId = (value: string): value is CategoryId => byId.has(value);

export const categoryLabel = (id: CategoryId): string => byId.get(id)?.label ?? id;

/** A category's position, used as its bit in the compiled domain index (fits in 32 bits). */
export const categoryBit = (id: CategoryId): number => CATEGORY_IDS.indexOf(id);
