/**
 * Training records as the API sends them. Plain types, so the web app imports the very shapes
 * the server answers with.
 */
import type { TrainingKind } from '../db/tables.js';

export interface TrainingRecordView {
  id: string;
  personId: string;
  kind: TrainingKind;
  title: string;
  provider: string;
  completedOn: string;
  expiresOn: string | null;
  evidence: string | null;
  createdAt: string;
  imported: boolean;
}
