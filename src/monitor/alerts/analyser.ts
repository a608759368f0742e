import type { Mailer } from '../../notify/mailer.js';
import type { AppContext } from '../../server/context.js';
import type { EventAnalyser, MonitorEvent } from '../model.js';

export interface AlertAnalyserOptions {
  mailer: Mailer | null;
  log?: { error(o: object, m?: string): void };
  /** Where links in e-mails point, e.g. `https://tutela.school.example`. */
  webBase?: string;
}

/** Placeholder with the final signature; the analyser that raises alerts replaces it. */
export class AlertAnalyser implements EventAnalyser {
  constructor(
    private readonly ctx: AppContext,
    private readonly options: AlertAnalyserOptions,
  ) {}
  async analyse(events: readonly MonitorEvent[]): Promise<void> {
    void this.ctx;
    void this.options;
    void events;
  }
  /** Resolves when every analysis started so far has finished. */
  async idle(): Promise<void> {}
}
