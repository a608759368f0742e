import type { ActivityEvent } from './event.js';

export type ActivityHandler = (event: ActivityEvent) => void;

/**
 * Where activity events go once the filter has decided. Publishing never waits and never
 * throws, because it runs on the DNS and proxy hot paths. A NATS JetStream bus can implement
 * the same interface when the filter and the web run on different machines.
 */
export interface ActivityBus {
  publish(event: ActivityEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(handler: ActivityHandler): () => void;
}

/**
 * The bus within one process: handlers run synchronously, so each must only queue work. A
 * handler that throws is reported and skipped; it never reaches the publisher.
 *
 * @example
 *   const bus = new InProcessActivityBus();
 *   const stop = bus.subscribe((e) => queue.push(e));
 *   bus.publish(event);
 */
export class InProcessActivityBus implements ActivityBus {
  private handlers: ActivityHandler[] = [];

  constructor(private readonly onHandlerError: (error: unknown) => void = () => {}) {}

  publish(event: ActivityEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        try {
          this.onHandlerError(error);
        } catch {
          // A failing error reporter must not break publishing either.
        }
      }
    }
  }

  subscribe(handler: ActivityHandler): () => void {
    this.handlers = [...this.handlers, handler];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }
}
