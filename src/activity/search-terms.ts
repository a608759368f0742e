/**
 * Search terms from the URL of a search engine, video site or shop search, for the activity
 * log the policies ask for ("logs that name ... the search term"). Only plain-HTTP URLs reach
 * us in full (HTTPS through the proxy shows only the host), so this mostly serves sites that
 * the school makes reachable over HTTP and the block page's own reports.
 */

/** A country or generic ending: `.com`, `.de`, `.co.uk`, `.com.au` — never a longer host. */
const TLD = String.raw`\.(com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$`;
const brand = (name: string) => new RegExp(String.raw`(^|\.)${name}${TLD}`);

interface SearchSite {
  /** Matches the host's registrable part, so `www.google.co.uk` matches `google`. */
  host: RegExp;
  /** Paths that are searches, when the parameter alone is ambiguous. */
  path?: RegExp;
  param: string;
}

const SITES: readonly SearchSite[] = [
  { host: brand('google'), path: /^\/(search|webhp|images|)$/, param: 'q' },
  { host: /(^|\.)bing\.com$/, path: /^\/(images\/|videos\/|news\/)?search$/, param: 'q' },
  { host: /(^|\.)duckduckgo\.com$/, param: 'q' },
  { host: /(^|\.)youtube\.com$/, path: /^\/results$/, param: 'search_query' },
  { host: /(^|\.)search\.yahoo\.com$/, param: 'p' },
  { host: /(^|\.)ecosia\.org$/, path: /^\/(search|images|videos|news)$/, param: 'q' },
  { host: /(^|\.)wikipedia\.org$/, param: 'search' },
  { host: brand('amazon'), path: /^\/s$/, param: 'k' },
  { host: /(^|\.)tiktok\.com$/, path: /^\/search(\/\w+)?$/, param: 'q' },
  { host: /(^|\.)instagram\.com$/, path: /^\/explore\/search\/keyword$/, param: 'q' },
  { host: /(^|\.)search\.brave\.com$/, path: /^\/(search|images|videos|news)$/, param: 'q' },
  { host: /(^|\.)startpage\.com$/, param: 'query' },
  { host: brand('yandex'), path: /^\/(search|images\/search|video\/search)$/, param: 'text' },
  { host: /(^|\.)baidu\.com$/, path: /^\/s$/, param: 'wd' },
  { host: /(^|\.)ask\.com$/, path: /^\/web$/, param: 'q' },
];

/** Long enough for any real query, short enough that a crafted URL cannot fill the log. */
export const MAX_SEARCH_TERMS_LENGTH = 200;

/**
 * The search terms in a URL, or null when it is not a search we know.
 *
 * @example
 *   extractSearchTerms('https://www.google.co.uk/search?q=how+to+vape'); // 'how to vape'
 *   extractSearchTerms('www.youtube.com/results?search_query=minecraft'); // 'minecraft'
 */
export function extractSearchTerms(url: string): string | null {
  const parsed = parseLoosely(url);
  if (!parsed) return null;
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const path = parsed.pathname.replace(/\/+$/, '');
  const instagramTag = /(^|\.)instagram\.com$/.test(host) ? /^\/explore\/tags\/([^/]+)$/.exec(path) : null;
  if (instagramTag) return clean(safeDecode(instagramTag[1]!));
  for (const site of SITES) {
    if (!site.host.test(host)) continue;
    if (site.path && !site.path.test(path)) continue;
    const value = parsed.searchParams.get(site.param);
    return value === null ? null : clean(value);
  }
  return null;
}

function parseLoosely(url: string): URL | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  try {
    return new URL(withScheme);
  } catch {
    return null;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function clean(value: string): string | null {
  // Control characters would let a crafted query forge lines in an exported log.
  const text = value
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return null;
  return text.length > MAX_SEARCH_TERMS_LENGTH ? text.slice(0, MAX_SEARCH_TERMS_LENGTH) : text;
}
