import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { categoriesOf, compileLists } from './lists.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('compileLists and categoriesOf', () => {
  const lists = compileLists(
    [
      { category: 'gambling', domains: ['bet.example', 'Casino.Example.', 'not a host', '192.168.7.7'], urls: ['news.example/betting'] },
      { category: 'games', domains: ['play.example', 'bet.example'], urls: ['video.example/games/', 'sub.video2.example/x'] },
      { category: 'social_media', domains: ['social.example'], urls: ['social.example'] },
    ],
    [],
  );

  it('counts distinct domains, URLs and skipped junk', () => {
    assert.equal(lists.stats.domains, 5, 'bet.example in two categories counts once; social.example from urls merges');
    assert.equal(lists.stats.urls, 3);
    assert.equal(lists.stats.skipped, 1);
  });

  it('covers a listed domain and its subdomains on label boundaries only', () => {
    assert.deepEqual(categoriesOf(lists, 'bet.example', null), ['gambling', 'games']);
    assert.deepEqual(categoriesOf(lists, 'www.bet.example', null), ['gambling', 'games']);
    assert.deepEqual(categoriesOf(lists, 'a.b.casino.example', null), ['gambling']);
    assert.deepEqual(categoriesOf(lists, 'notbet.example', null), []);
    assert.deepEqual(categoriesOf(lists, 'bet.example.org', null), []);
    assert.deepEqual(categoriesOf(lists, 'example', null), [], 'a parent of a listed domain is not listed');
  });

  it('normalises the request the same way as the entries', () => {
    assert.deepEqual(categoriesOf(lists, 'HTTPS://WWW.CASINO.EXAMPLE:443/', null), ['gambling']);
    assert.deepEqual(categoriesOf(lists, '3232237319', null), ['gambling'], '192.168.7.7 in decimal');
    assert.deepEqual(categoriesOf(lists, '1.168.7.7', null), [], 'an address does not match on a "suffix"');
  });

  it('matches URL prefixes on path segment boundaries', () => {
    assert.deepEqual(categoriesOf(lists, 'news.example', 'news.example/betting'), ['gambling']);
    assert.deepEqual(categoriesOf(lists, 'news.example', 'news.example/betting/odds?x=1'), ['gambling']);
    assert.deepEqual(categoriesOf(lists, 'news.example', 'news.example/bettingtips'), []);
    assert.deepEqual(categoriesOf(lists, 'news.example', 'news.example/sport'), []);
    assert.deepEqual(categoriesOf(lists, 'news.example', null), [], 'the host alone is not listed');
    assert.deepEqual(categoriesOf(lists, 'video.example', 'http://video.example/GAMES/x'), ['games']);
    assert.deepEqual(categoriesOf(lists, 'x', 'www.sub.video2.example/x/y'), ['games'], 'a URL prefix covers subdomains of its host');
    assert.deepEqual(categoriesOf(lists, 'x', 'video2.example/x'), [], 'but not its parent domain');
  });

  it('reports locked categories, from plain and SHA-256 entries', () => {
    const withLocked = compileLists(
      [],
      [
        {
          category: 'illegal_csam',
          source: 'IWF',
          plain: ['bad.example/img'],
          sha256: [sha('hashed.example').toUpperCase(), 'not-a-digest'],
        },
        { category: 'illegal_terrorism', source: 'CTIRU', plain: ['terror.example'], sha256: [sha('host.example/a/b')] },
      ],
    );
    assert.equal(withLocked.stats.lockedEntries, 2);
    assert.equal(withLocked.stats.lockedHashes, 2);
    assert.equal(withLocked.stats.skipped, 1);
    assert.deepEqual(categoriesOf(withLocked, 'x', 'bad.example/img/1.jpg'), ['illegal_csam']);
    assert.deepEqual(categoriesOf(withLocked, 'x', 'bad.example/image'), []);
    assert.deepEqual(categoriesOf(withLocked, 'cdn.hashed.example', null), ['illegal_csam']);
    assert.deepEqual(categoriesOf(withLocked, 'www.terror.example', null), ['illegal_terrorism']);
    assert.deepEqual(categoriesOf(withLocked, 'x', 'www.host.example/a/b/c'), ['illegal_terrorism']);
    assert.deepEqual(categoriesOf(withLocked, 'x', 'host.example/a'), []);
  });
});
