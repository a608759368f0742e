/**
 * A printable document as plain data: the policy document and the governors' report build one,
 * and the same value is written out as HTML (for the browser and for publishing on a website)
 * and as PDF, so the two exports can never say different things.
 */
export type Block =
  | { kind: 'heading'; text: string; level: 2 | 3 }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  /** Label and value pairs, e.g. "Approved by governors: 24 May 2026". */
  | { kind: 'facts'; items: { label: string; value: string }[] }
  | {
      kind: 'table';
      caption?: string;
      columns: string[];
      rows: string[][];
      note?: string;
      /** Relative column widths for print, e.g. [4, 1, 1]: a long first column of activities beside narrow marks. */
      widths?: number[];
    };

export interface PrintDocument {
  title: string;
  subtitle?: string;
  blocks: Block[];
  /** One line at the foot of every PDF page and at the end of the HTML, e.g. the version and when it was generated. */
  footer?: string;
}

/**
 * Markdown written by a school (headings, paragraphs and bulleted lists) as blocks. Inline
 * emphasis is kept as plain text: a printed policy needs the words, not the markup, and plain
 * text cannot smuggle markup into the HTML export.
 */
export function markdownBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
    if (list !== null) blocks.push({ kind: 'list', items: list });
    list = null;
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '') {
      flush();
      continue;
    }
    // [\s\S] rather than `.`: a line may hold U+2028, which `.` stops at, and `\s+` would then backtrack over the whole line.
    const heading = /^(#{1,6})\s+([\s\S]*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length <= 2 ? 2 : 3, text: plainInline(heading[2]!) });
      continue;
    }
    const item = /^(?:[-*+]|(\d+)[.)])\s+([\s\S]*)$/.exec(line);
    // As in CommonMark, only a list numbered from 1 can break into a paragraph: "May\n2026. It…" is a wrapped sentence.
    if (item && !(item[1] !== undefined && item[1] !== '1' && paragraph.length > 0)) {
      if (paragraph.length > 0) {
        blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
        paragraph = [];
      }
      list ??= [];
      list.push(plainInline(item[2]!));
      continue;
    }
    if (list !== null && /^\s{2,}/.test(raw)) {
      list[list.length - 1] += ` ${plainInline(line)}`;
      continue;
    }
    if (list !== null) flush();
    paragraph.push(plainInline(line));
  }
  flush();
  return blocks;
}

/**
 * `**bold**`, `_em_`, `` `code` `` and `[text](link)` as their words. Linear: every scan stops at
 * the character that could start the next match (a label at `[`, a link at `(`), so no text is
 * scanned twice. An underscore inside a word (dsl_team@…, e_safety_policy) is not emphasis.
 */
function plainInline(text: string): string {
  return text
    .replace(/\[([^[\]]*)\]\(([^()\s]*)\)/g, (_m, label: string, href: string) =>
      label === href || href === '' ? label : `${label} (${href})`,
    )
    .replace(/\*\*(?=\S)([^*_]*?\S)\*\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])__(?=\S)([^*_]*?\S)__(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/\*(?=\S)([^*_]*?\S)\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])_(?=\S)([^*_]*?\S)_(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/`([^`]*)`/g, '$1');
}
