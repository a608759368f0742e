import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InProcessActivityBus } from '../../activity/bus.js';
import type { ActivityEvent } from '../../activity/event.js';
import type { EventAnalyser, MonitorEvent } from '../model.js';
import { bridgeFilterEvents } from './filter-bridge.js';

let n = 0;
function activity(overrides: Partial<ActivityEvent>): ActivityEvent {
  n++;
  return {
    id: `activity-${n}`,
    schoolId: 'school-1',
    at: new Date('2026-11-24T10:00:00Z'),
    source: 'proxy',
    personId: 'person-1',
    deviceId: 'device-1',
    clientAddress: '10.0.0.5',
    host: 'www.google.co.uk',
    url: null,
    searchTerms: null,
    category: null,
    action: 'allow',
    rule: 'category',
    policyVersion: 1,
    profileId: null,
    alert: false,
    ...overrides,
  } as ActivityEvent;
}

/** Records each batch it is given; `fail` makes the next calls reject, as a broken analyser would. */
class RecordingAnalyser implements EventAnalyser {
  batches: MonitorEvent[][] = [];
  fail = false;
  async analyse(events: readonly MonitorEvent[]): Promise<void> {
    if (this.fail) throw new Error('analyser down');
    this.batches.push([...events]);
  }
  get events() {
    return this.batches.flat();
  }
}

async function waitFor(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('filter events bridge', () => {
  it('passes searches and pages to the analyser in batches, and leaves out bare DNS lookups', async () => {
    const bus = new InProcessActivityBus();
    const analyser = new RecordingAnalyser();
    const stop = bridgeFilterEvents(bus, analyser);
    const search = activity({ url: 'https://www.google.co.uk/search?q=how+to+vape', searchTerms: 'how to vape' });
    const page = activity({ url: 'http://casino.example/', host: 'casino.example', action: 'block' });
    const dns = activity({ source: 'dns', host: 'casino.example', url: null, searchTerms: null, action: 'block' });
    bus.publish(search);
    bus.publish(page);
    bus.publish(dns);
    await waitFor('the batch', () => analyser.events.length === 2);
    assert.equal(analyser.batches.length, 1, 'collected into one batch');
    const [s, p] = analyser.events;
    assert.deepEqual(
      {
        id: s!.id,
        source: s!.source,
        kind: s!.kind,
        searchTerms: s!.searchTerms,
        blocked: s!.blocked,
        personId: s!.personId,
        sourceId: s!.sourceId,
      },
      {
        id: search.id,
        source: 'filter:proxy',
        kind: 'search',
        searchTerms: 'how to vape',
        blocked: false,
        personId: 'person-1',
        sourceId: null,
      },
    );
    assert.deepEqual(
      { kind: p!.kind, blocked: p!.blocked, url: p!.url, host: p!.host },
      { kind: 'web', blocked: true, url: 'http://casino.example/', host: 'casino.example' },
    );
    await stop();
    assert.deepEqual(stop.stats(), { analysed: 2, skipped: 1, dropped: 0 });
  });

  it('names DNS-sourced searches after the DNS filter', async () => {
    const bus = new InProcessActivityBus();
    const analyser = new RecordingAnalyser();
    const stop = bridgeFilterEvents(bus, analyser);
    bus.publish(activity({ source: 'dns', searchTerms: 'self harm', url: null }));
    await stop();
    assert.equal(analyser.events[0]!.source, 'filter:dns');
    assert.equal(analyser.events[0]!.kind, 'search');
  });

  it('never throws into the publisher, and carries on after the analyser fails', async () => {
    const errors: unknown[] = [];
    const bus = new InProcessActivityBus((error) => errors.push(error));
    const analyser = new RecordingAnalyser();
    const logged: object[] = [];
    const stop = bridgeFilterEvents(bus, analyser, { log: { error: (o) => logged.push(o) } });
    analyser.fail = true;
    bus.publish(activity({ url: 'http://a.example/' }));
    await waitFor('the failure to be logged', () => logged.length === 1);
    analyser.fail = false;
    // Not an ActivityEvent at all: the bridge must swallow the error, not the bus.
    assert.doesNotThrow(() => bus.publish(null as unknown as ActivityEvent));
    bus.publish(activity({ url: 'http://b.example/' }));
    await waitFor('the next batch', () => analyser.events.length === 1);
    assert.equal(analyser.events[0]!.url, 'http://b.example/');
    assert.deepEqual(errors, [], 'nothing reached the bus’s error handler');
    assert.equal(logged.length, 2, 'the analyser failure and the bad event were logged');
    await stop();
  });

  it('analyses what it collected when stopped, and nothing published after', async () => {
    const bus = new InProcessActivityBus();
    const analyser = new RecordingAnalyser();
    const stop = bridgeFilterEvents(bus, analyser, { intervalMs: 60_000 });
    bus.publish(activity({ url: 'http://a.example/' }));
    await stop();
    bus.publish(activity({ url: 'http://b.example/' }));
    assert.deepEqual(
      analyser.events.map((e) => e.url),
      ['http://a.example/'],
    );
  });

  it('counts what it drops when the analyser cannot keep up', async () => {
    const bus = new InProcessActivityBus();
    let release = () => {};
    const seen: MonitorEvent[] = [];
    const slow: EventAnalyser = {
      analyse: (events) => {
        seen.push(...events);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    };
    const stop = bridgeFilterEvents(bus, slow, { intervalMs: 1, maxQueued: 3 });
    bus.publish(activity({ url: 'http://first.example/' }));
    await waitFor('the first batch to be under way', () => seen.length === 1);
    for (let i = 0; i < 5; i++) bus.publish(activity({ url: `http://more${i}.example/` }));
    assert.equal(stop.stats().dropped, 2);
    release();
    const stopped = stop();
    await waitFor('the queued batch', () => seen.length === 4);
    release();
    await stopped;
  });
});
