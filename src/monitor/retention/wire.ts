/**
 * Retention purges as the API sends them. Plain types, so the web app imports the very shapes
 * the server answers with.
 */

export interface SchoolPurge {
  schoolId: string;
  dryRun: boolean;
  /** Activity before this instant is deleted. */
  activityBefore: string;
  /** Closed and false-positive alerts resolved before this instant are deleted. */
  alertsBefore: string;
  activityDeleted: number;
  eventsDeleted: number;
  alertsDeleted: number;
  notesDeleted: number;
  /** The `monitor_purges` row; null on a dry run. */
  purgeId: string | null;
}

export interface PurgeStatus {
  retention: { activityDays: number; alertDays: number };
  /** Minutes between the job's checks; 0 when the schedule is off. */
  jobMinutes: number;
  purges: {
    id: string;
    ranAt: string;
    ranBy: string;
    activityBefore: string;
    alertsBefore: string;
    activityDeleted: number;
    eventsDeleted: number;
    alertsDeleted: number;
  }[];
  /** When the schedule will next purge this school; null when the schedule is off. */
  nextDueAt: string | null;
}
