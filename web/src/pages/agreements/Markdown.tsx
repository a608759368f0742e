import { createElement, type ReactNode } from 'react';

/*
 * A small, safe subset of Markdown for agreement texts: headings, paragraphs, bulleted and
 * numbered lists, bold, italic and links. Everything becomes React elements, so text that looks
 * like HTML is shown as the characters typed and never runs.
 */

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] };

const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

/**
 * A heading's text without its optional closing `#`s. Done by hand because the regular
 * expression that says it (`(.*?)\s*#*\s*$`) backtracks cubically on a line of spaces.
 */
function headingText(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  return (end === 0 || /\s/.test(text[end - 1]!) ? text.slice(0, end) : text).trim();
}

export function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
    if (list) blocks.push({ kind: 'list', ...list });
    list = null;
  };
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    if (!line.trim()) {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: headingText(heading[2]!) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      const ordered = Boolean(numbered);
      if (paragraph.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[1]!);
      continue;
    }
    // An indented line after a list item continues that item.
    if (list && /^\s+/.test(raw)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list) flush();
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/** Only links a reader can follow safely: web, e-mail and this site's own pages. */
// A browser reads `/\host` as `//host`, another site, so a backslash after the slash is refused too.
const safeHref = (href: string) => (/^(https?:|mailto:)/i.test(href) || /^\/(?![/\\])/.test(href) ? href : null);

// Link text stops at any bracket and an address is bounded, so a run of `[` or `[a](` costs linear time, not quadratic.
const INLINE = /\*\*(.+?)\*\*|__(.+?)__|\*(.+?)\*|_(.+?)_|\[([^\][]+)\]\(([^)\s]{1,2048})\)/;

function inline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const k = `${key}-${n++}`;
    if (m[1] !== undefined || m[2] !== undefined) out.push(<strong key={k}>{inline(m[1] ?? m[2]!, k)}</strong>);
    else if (m[3] !== undefined || m[4] !== undefined) out.push(<em key={k}>{inline(m[3] ?? m[4]!, k)}</em>);
    else {
      const href = safeHref(m[6]!);
      out.push(
        href ? (
          <a key={k} href={href} rel="noopener noreferrer">
            {inline(m[5]!, k)}
          </a>
        ) : (
          m[0]
        ),
      );
    }
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

/**
 * Renders agreement text. `topLevel` is the heading level a `#` becomes, so the text's headings
 * sit under the page's own.
 */
export function Markdown({ source, topLevel = 2 }: { source: string; topLevel?: number }) {
  return (
    <div className="markdown">
      {parseBlocks(source).map((block, i) => {
        const key = `b${i}`;
        if (block.kind === 'heading') {
          const level = Math.min(6, topLevel + block.level - 1);
          return createElement(`h${level}`, { key }, inline(block.text, key));
        }
        if (block.kind === 'list') {
          const items = block.items.map((item, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: items of a fixed text have no identity but their place
            <li key={`${key}-${j}`}>{inline(item, `${key}-${j}`)}</li>
          ));
          return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
        }
        return <p key={key}>{inline(block.text, key)}</p>;
      })}
    </div>
  );
}
