import type { Command } from 'commander';

/** `tutela retention …`: run the incident retention job and see what it archived. */
export function registerRetentionCommands(_program: Command): void {}
