/** Key stages as English schools use them. Year 0 is Reception. */
export type KeyStage = 'EYFS' | 'KS1' | 'KS2' | 'KS3' | 'KS4' | 'KS5';

/**
 * The key stage a year group belongs to.
 *
 * @example
 *   keyStageOf(7);  // 'KS3'
 *   keyStageOf(12); // 'KS5' (sixth form)
 */
export function keyStageOf(yearGroup: number | null | undefined): KeyStage | null {
  if (yearGroup === null || yearGroup === undefined || !Number.isInteger(yearGroup)) return null;
  if (yearGroup === 0) return 'EYFS';
  if (yearGroup >= 1 && yearGroup <= 2) return 'KS1';
  if (yearGroup >= 3 && yearGroup <= 6) return 'KS2';
  if (yearGroup >= 7 && yearGroup <= 9) return 'KS3';
  if (yearGroup >= 10 && yearGroup <= 11) return 'KS4';
  if (yearGroup >= 12 && yearGroup <= 13) return 'KS5';
  return null;
}

export const KEY_STAGE_YEARS: Record<KeyStage, [number, number]> = {
  EYFS: [0, 0],
  KS1: [1, 2],
  KS2: [3, 6],
  KS3: [7, 9],
  KS4: [10, 11],
  KS5: [12, 13],
};

export const KEY_STAGE_NAMES: Record<KeyStage, string> = {
  EYFS: 'Early years (Reception)',
  KS1: 'Key Stage 1',
  KS2: 'Key Stage 2',
  KS3: 'Key Stage 3',
  KS4: 'Key Stage 4',
  KS5: 'Key Stage 5 (sixth form)',
};

export const yearGroupName = (year: number): string => (year === 0 ? 'Reception' : `Year ${year}`);
