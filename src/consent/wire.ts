/**
 * Image consent as the API sends it. Plain types, so the web app imports the very shapes the
 * server answers with.
 */
import type { ImageUse } from '../db/tables.js';

export type { ImageUse };

export interface StudentRef {
  id: string;
  name: string;
  yearGroup: number | null;
}

export interface UseState {
  use: ImageUse;
  /** False when nobody has recorded a yes: a child is never published without a parent's consent. */
  granted: boolean;
  /** Null when no decision has been recorded. */
  changedAt: string | null;
  changedByName: string | null;
}

export interface ConsentChange {
  id: string;
  use: ImageUse;
  granted: boolean;
  changedAt: string;
  changedByName: string;
  note: string | null;
}

export interface StudentConsent {
  student: StudentRef;
  uses: UseState[];
  history: ConsentChange[];
}

export interface GroupOption {
  id: string;
  name: string;
  kind: string;
  yearGroup: number | null;
  /** The actor teaches, tutors or leads it. */
  mine: boolean;
}

export interface GroupPupil {
  id: string;
  name: string;
  yearGroup: number | null;
  /** Consent for the use asked about. */
  granted: boolean;
  /** Consent for every use, so one look-up answers a second question too. */
  allowed: Record<ImageUse, boolean>;
}

export interface GroupConsent {
  group: { id: string; name: string; kind: string; yearGroup: number | null };
  use: ImageUse;
  pupils: GroupPupil[];
  notAllowedCount: number;
}
