/** What decides whether image and video evidence may be stored on an incident. */
export interface RefusalFacts {
  suspectedCsam: boolean;
  category: string;
  /** The investigation's procedure; null when no investigation form exists yet. */
  procedure: 'standard' | 'illegal' | null;
}

export type RefusalReason = 'suspected_csam' | 'nudes_and_semi_nudes' | 'illegal_procedure';

export interface Refusal {
  reason: RefusalReason;
  message: string;
}

const WHAT_TO_DO =
  'Do not copy, save, print or share it. Record the URL and a description of the content instead, isolate the device, and refer to the police.';

const WHY: Record<RefusalReason, string> = {
  suspected_csam: 'This incident is marked as suspected child sexual abuse imagery, so images and video are not accepted as evidence.',
  nudes_and_semi_nudes:
    'This incident is about nudes or semi-nudes of children: UKCIS guidance says staff must not view, copy, save or share them, so images and video are not accepted as evidence.',
  illegal_procedure:
    'This incident is being handled under the illegal-content procedure (record the URL and a description only), so images and video are not accepted as evidence.',
};

/** Images and video are the media a nude or abuse image arrives as; documents and text are not refused. */
export const isImageOrVideo = (mediaType: string): boolean => mediaType.startsWith('image/') || mediaType.startsWith('video/');

/**
 * Whether an incident refuses image and video evidence, and why: suspected child abuse
 * imagery, nudes and semi-nudes (UKCIS), or the illegal-content procedure of the policy
 * (seed 002: record the URL and describe the content). Documents and text stay accepted, so a
 * police letter or a typed account can still be kept.
 *
 * @example
 *   imageRefusal({ suspectedCsam: false, category: 'sexting_nudes', procedure: null })?.reason; // 'nudes_and_semi_nudes'
 */
export function imageRefusal(facts: RefusalFacts): Refusal | null {
  const reason: RefusalReason | null = facts.suspectedCsam
    ? 'suspected_csam'
    : facts.category === 'sexting_nudes'
      ? 'nudes_and_semi_nudes'
      : facts.procedure === 'illegal'
        ? 'illegal_procedure'
        : null;
  return reason ? { reason, message: `${WHY[reason]} ${WHAT_TO_DO}` } : null;
}

/** The refusal for this upload, or null: only image and video media types are ever refused. */
export function evidenceRefusal(facts: RefusalFacts, mediaTypes: readonly (string | null)[]): Refusal | null {
  return mediaTypes.some((t) => t !== null && isImageOrVideo(t)) ? imageRefusal(facts) : null;
}
