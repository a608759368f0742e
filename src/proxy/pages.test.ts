import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FilterDecision } from '../filter/model.js';
import { decisionPage, escapeHtml } from './pages.js';
import { clientAddressOf, connectHostFor, parseAbsoluteTarget, parseAuthority } from './target.js';

const decision = (over: Partial<FilterDecision>): FilterDecision => ({
  action: 'block',
  schoolId: 's',
  category: null,
  rule: 'school_list',
  detail: '',
  policyVersion: 1,
  personId: null,
  profileId: 'p',
  deviceId: null,
  host: 'x',
  url: null,
  alert: false,
  ...over,
});

describe('the proxy pages and targets', () => {
  it('escapes every character that could break out of HTML text or an attribute', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('explains a block without a category by its rule, and escapes the detail and the link', () => {
    const html = decisionPage(decision({ detail: 'entry <b>"evil"</b>' }), 'evil.example', 'https://f.example/b?u=1&v="2"');
    assert.match(html, /it is on your school&#39;s block list/);
    assert.ok(!html.includes('category <strong>'), 'no category is claimed');
    assert.match(html, /Details: entry &lt;b&gt;&quot;evil&quot;&lt;\/b&gt;/);
    assert.match(html, /href="https:\/\/f\.example\/b\?u=1&amp;v=&quot;2&quot;"/);
  });

  it('tells a person held at their agreement to accept it first, linking to the accept page beside the block page', () => {
    const held = decision({ rule: 'agreement_required', category: 'gambling', detail: 'has not accepted' });
    const html = decisionPage(held, 'x<y>.example', 'https://tutela.school.example/blocked?target=x&token=t');
    assert.match(html, /<h1>Accept your acceptable use agreement first<\/h1>/);
    assert.match(html, /href="https:\/\/tutela\.school\.example\/agreements\/mine"/);
    assert.match(html, /<strong>x&lt;y&gt;\.example<\/strong>/);
    assert.doesNotMatch(html, /Gambling|See why and report|\/blocked/, 'neither the category nor an unblock report is the point here');
    // A block page link that is not a full address still gives a path to the accept page.
    assert.match(decisionPage(held, 'a.example', '/blocked?target=a'), /href="\/agreements\/mine"/);
  });

  it('names the category and the locked list in plain words', () => {
    const html = decisionPage(decision({ category: 'illegal_csam', rule: 'locked_list' }), 'bad.example', '/b');
    assert.match(html, /Child sexual abuse content \(IWF list\)/);
    assert.match(html, /nobody in school can unblock/);
  });

  it('reads absolute-form and CONNECT targets, refusing the rest', () => {
    const t = parseAbsoluteTarget('http://WWW.Example.COM.:8080/a%20b?q=1')!;
    assert.equal(t.host, 'www.example.com');
    assert.equal(t.port, 8080);
    assert.equal(t.url.pathname + t.url.search, '/a%20b?q=1');
    assert.equal(parseAbsoluteTarget('http://user:secret@example.com/x')!.url.href, 'http://example.com/x');
    assert.equal(parseAbsoluteTarget('https://example.com/'), null);
    assert.equal(parseAbsoluteTarget('http://'), null);
    assert.deepEqual(parseAuthority('[2001:DB8::1]:443'), { host: '2001:db8::1', port: 443 });
    assert.deepEqual(parseAuthority('Example.com.:443'), { host: 'example.com', port: 443 });
    for (const bad of ['example.com', 'example.com:0', 'a@b:443', 'example.com:443/x', ':443'])
      assert.equal(parseAuthority(bad), null, bad);
    assert.equal(clientAddressOf('::ffff:10.0.0.5'), '10.0.0.5');
    assert.equal(clientAddressOf('2001:db8::5'), '2001:db8::5');
  });

  it('connects to the safe-search host for search engines and to the host itself otherwise', () => {
    assert.equal(connectHostFor('www.google.co.uk'), 'forcesafesearch.google.com');
    assert.equal(connectHostFor('www.youtube.com'), 'restrict.youtube.com');
    assert.equal(connectHostFor('www.bbc.co.uk'), 'www.bbc.co.uk');
  });
});
