import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractSearchTerms, MAX_SEARCH_TERMS_LENGTH } from './search-terms.js';

describe('extractSearchTerms', () => {
  const cases: [string, string | null][] = [
    ['https://www.google.com/search?q=how+to+vape&hl=en', 'how to vape'],
    ['http://www.google.co.uk/search?client=firefox&q=caf%C3%A9%20near%20me', 'café near me'],
    ['www.google.com/search?q=no+scheme', 'no scheme'],
    ['https://images.google.com/images?q=cats', 'cats'],
    ['https://www.google.com/maps?q=london', null],
    ['https://www.bing.com/search?q=bing+words&form=QBLH', 'bing words'],
    ['https://www.bing.com/images/search?q=bing+pictures', 'bing pictures'],
    ['https://duckduckgo.com/?q=duck+search&ia=web', 'duck search'],
    ['https://html.duckduckgo.com/html/?q=lite+search', 'lite search'],
    ['https://www.youtube.com/results?search_query=minecraft+mods', 'minecraft mods'],
    ['https://m.youtube.com/results?search_query=phone+search', 'phone search'],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', null],
    ['https://uk.search.yahoo.com/search?p=yahoo+terms&fr=yfp', 'yahoo terms'],
    ['https://www.ecosia.org/search?method=index&q=trees', 'trees'],
    ['https://en.wikipedia.org/w/index.php?search=Ada+Lovelace&title=Special%3ASearch', 'Ada Lovelace'],
    ['https://en.wikipedia.org/wiki/Special:Search?search=Turing', 'Turing'],
    ['https://www.amazon.co.uk/s?k=knife&ref=nb', 'knife'],
    ['https://www.amazon.com/dp/B000', null],
    ['https://www.tiktok.com/search?q=challenge', 'challenge'],
    ['https://www.tiktok.com/search/user?q=someone', 'someone'],
    ['https://www.instagram.com/explore/tags/diet/', 'diet'],
    ['https://www.instagram.com/explore/search/keyword/?q=skinny', 'skinny'],
    ['https://search.brave.com/search?q=brave+query', 'brave query'],
    ['https://yandex.ru/search/?text=yandex+query', 'yandex query'],
    ['https://www.baidu.com/s?wd=baidu', 'baidu'],
    ['https://www.google.com/search?q=+++', null],
    ['https://www.google.com/search?q=line%0Abreak%09tab', 'line break tab'],
    ['https://example.com/search?q=not+an+engine', null],
    ['https://notgoogle.example/search?q=x', null],
    ['https://google.com.evil.example/search?q=x', null],
    ['not a url at all', null],
    ['', null],
  ];
  for (const [url, expected] of cases) {
    it(`${url || '(empty)'} → ${expected ?? 'null'}`, () => {
      assert.equal(extractSearchTerms(url), expected);
    });
  }

  it('cuts very long queries', () => {
    const terms = extractSearchTerms(`https://www.google.com/search?q=${'a'.repeat(5000)}`);
    assert.equal(terms?.length, MAX_SEARCH_TERMS_LENGTH);
  });
});
