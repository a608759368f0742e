import { InProcessActivityBus } from '../../activity/bus.js';
import type { AppContext } from '../../server/context.js';
import type { RuntimeSource } from './routes.js';
import { FilterRuntime } from './runtime.js';

/**
 * A runtime for a web-only process (and for tests of other modules): started the first time a
 * route needs it, so a web server that never shows a block page never compiles the lists.
 * Decisions made through it are for display and are not recorded.
 */
export function lazyRuntime(ctx: AppContext): { get: RuntimeSource; stop(): Promise<void> } {
  let started: Promise<FilterRuntime> | null = null;
  return {
    get() {
      started ??= (async () => {
        const runtime = new FilterRuntime(ctx, { bus: new InProcessActivityBus() });
        try {
          await runtime.start();
        } catch (error) {
          started = null;
          throw error;
        }
        return runtime;
      })();
      return started;
    },
    async stop() {
      const pending = started;
      started = null;
      if (pending) await (await pending.catch(() => null))?.stop();
    },
  };
}
