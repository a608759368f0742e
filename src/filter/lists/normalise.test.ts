import assert from 'node:assert/strict';
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CATEGORY_IDS, LOCKED_CATEGORIES } from '../categories.js';
import { encodeEntries, decodeEntries, listDigest } from './codec.js';
import { diffEntries, shrinkPercent } from './diff.js';
import { unsafeEntryReason } from './extract.js';
import { normaliseHost, normaliseUrlEntry, parseListLine } from './normalise.js';
import { UT1_DIR } from './test-support.js';
import { UT1_CATEGORY_MAP, ut1Category } from './ut1-map.js';

describe('list entry normalisation', () => {
  it('lower-cases hosts, strips trailing dots and subdomain markers, and turns IDN into punycode', () => {
    assert.equal(normaliseHost('Example.COM.'), 'example.com');
    assert.equal(normaliseHost('.example.com'), 'example.com');
    assert.equal(normaliseHost('*.example.com'), 'example.com');
    assert.equal(normaliseHost('Bücher.de'), 'xn--bcher-kva.de');
    assert.equal(normaliseHost('_video-bagarre.com'), '_video-bagarre.com');
    assert.equal(normaliseHost('192.168.0.1'), '192.168.0.1');
    assert.equal(normaliseHost('[2001:DB8::1]'), '[2001:db8::1]');
  });

  it('refuses what cannot be a host', () => {
    for (const bad of ['', 'a b.com', 'exa$mple.com', 'a..b', 'example.com/path', 'user@example.com', `${'x'.repeat(64)}.com`, 'xn--.com'])
      assert.equal(normaliseHost(bad), null, bad);
  });

  it('keeps URL paths as written but drops scheme, user info and port', () => {
    assert.equal(normaliseUrlEntry('HTTP://User@Example.COM:8080/Some/Path'), 'example.com/Some/Path');
    assert.equal(normaliseUrlEntry('example.com/a?b=c'), 'example.com/a?b=c');
    assert.equal(normaliseUrlEntry('example.com'), 'example.com/');
    assert.equal(normaliseUrlEntry('bad host/x'), null);
  });

  it('classifies lines: entries, blanks, comments and invalid lines', () => {
    assert.deepEqual(parseListLine('\uFEFFExample.com\r', 'domain'), { type: 'entry', value: 'example.com' });
    assert.deepEqual(parseListLine('   ', 'domain'), { type: 'blank' });
    assert.deepEqual(parseListLine('# note', 'url'), { type: 'comment' });
    // A path in a domains file is refused rather than widened to the whole host.
    assert.deepEqual(parseListLine('example.com/x', 'domain'), { type: 'invalid' });
  });
});

describe('stored lists', () => {
  it('round-trip through gzip and base64, and digest the same entries alike', () => {
    const entries = ['a.example', 'b.example', 'xn--bcher-kva.de'];
    assert.deepEqual(decodeEntries(encodeEntries(entries)), entries);
    assert.deepEqual(decodeEntries(encodeEntries([])), []);
    assert.equal(listDigest(entries, []), listDigest([...entries], []));
    assert.notEqual(listDigest(entries, []), listDigest([], entries));
  });

  it('diffs sorted lists exactly, with at most 20 examples', () => {
    const before = Array.from({ length: 30 }, (_, i) => `d${String(i).padStart(2, '0')}.example`);
    const after = [...before.slice(5), 'new1.example', 'new2.example'].sort();
    const diff = diffEntries(before, after);
    assert.deepEqual([diff.added, diff.removed], [2, 5]);
    assert.deepEqual(diff.addedExamples, ['new1.example', 'new2.example']);
    assert.deepEqual(diff.removedExamples, before.slice(0, 5));
    assert.equal(diffEntries([], before).addedExamples.length, 20);
    assert.equal(shrinkPercent(200, 50), 75);
    assert.equal(shrinkPercent(0, 10), 0);
    assert.equal(shrinkPercent(10, 12), 0);
  });

  it('refuses archive entries that would land outside the folder', () => {
    assert.match(unsafeEntryReason('/etc/passwd', 'File', undefined) ?? '', /absolute/);
    assert.match(unsafeEntryReason('blacklists/../../x', 'File', undefined) ?? '', /leaves/);
    assert.match(unsafeEntryReason('blacklists/evil', 'SymbolicLink', '../../etc') ?? '', /outside/);
    assert.match(unsafeEntryReason('blacklists/evil', 'SymbolicLink', '/etc') ?? '', /absolute/);
    assert.equal(unsafeEntryReason('blacklists/ads', 'SymbolicLink', 'publicite'), null);
    assert.equal(unsafeEntryReason('blacklists/adult/domains', 'File', undefined), null);
  });
});

describe('the UT1 → Tutela category mapping', () => {
  it('never maps a UT1 folder to a locked illegal category', () => {
    for (const [folder, category] of Object.entries(UT1_CATEGORY_MAP)) {
      if (category === null) continue;
      assert.ok(CATEGORY_IDS.includes(category), `${folder} maps to unknown ${category}`);
      assert.ok(!LOCKED_CATEGORIES.includes(category), `${folder} maps to locked ${category}`);
    }
  });

  it('covers every category folder and folder link of the UT1 data', () => {
    const folders = readdirSync(UT1_DIR).filter((name) => {
      const info = lstatSync(path.join(UT1_DIR, name));
      // Folder links in this copy are small files naming their target.
      return info.isDirectory() || info.isSymbolicLink() || (info.isFile() && info.size < 64 && !name.includes('.') && info.size > 0);
    });
    assert.ok(folders.length > 60);
    for (const folder of folders) assert.notEqual(ut1Category(folder), undefined, `${folder} has no mapping`);
  });

  it('maps the folders the policies care about as documented', () => {
    const expected = {
      agressif: 'hate_speech',
      fakenews: 'misinformation',
      warez: 'piracy',
      phishing: 'malware_hacking',
      vpn: 'circumvention',
      doh: 'circumvention',
      adult: 'pornography',
      social_networks: 'social_media',
      educational_games: 'educational_games',
      liste_blanche: null,
      child: null,
      sexual_education: null,
    };
    for (const [folder, category] of Object.entries(expected)) assert.equal(ut1Category(folder), category, folder);
    assert.equal(ut1Category('no-such-folder'), undefined);
  });
});
