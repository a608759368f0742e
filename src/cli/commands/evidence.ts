import type { Command } from 'commander';

/** `tutela evidence …`: check evidence files and their chain of custody. */
export function registerEvidenceCommands(_program: Command): void {}
