import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** The canonical form of a stored time: ISO-8601 in UTC, which sorts as text. */
export const isoNow = (clock: () => Date = () => new Date()): string => clock().toISOString();
