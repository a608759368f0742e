import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CategoryId } from '../categories.js';
import { ListSourceError } from './download.js';
import { type LineKind, parseListLine } from './normalise.js';
import { ut1Category } from './ut1-map.js';

/*
 * Reading a UT1 tree: one folder per category holding `domains` and `urls`. Folders and files
 * may be links, either real symbolic links or "link files" (a few bytes naming the target, as a
 * checkout without symlink support leaves them). A link is followed only inside the tree, and
 * each real folder and file is read once, so `porn -> adult` does not count adult twice.
 */

export interface Ut1Tree {
  /** The real path of the folder holding the category folders. */
  root: string;
  /** Tutela category → the real folder names whose entries it takes, in name order. */
  groups: Map<CategoryId, string[]>;
  /** Folders Tutela ignores on purpose (mapped to null). */
  ignored: string[];
  /** Folders not in the mapping: a newer UT1 category, reported so someone can map it. */
  unknown: string[];
  /** Links met, as `name -> target`. */
  links: string[];
  /** Links whose target is missing or outside the tree. */
  brokenLinks: string[];
}

export interface SkippedLines {
  blank: number;
  comments: number;
  invalid: number;
  /** Entries already met in the same category (also across merged folders). */
  duplicates: number;
  invalidExamples: string[];
}

export interface CategoryEntries {
  /** Sorted and de-duplicated. */
  domains: string[];
  urls: string[];
  skipped: SkippedLines;
}

const MAX_EXAMPLES = 20;
const LINK_FILE_MAX_BYTES = 512;

const within = (root: string, target: string) => target === root || target.startsWith(root + path.sep);

/** The target a link file names, when `file` is one: a short file holding one relative path that exists. */
async function linkFileTarget(file: string, size: number): Promise<string | null> {
  if (size === 0 || size > LINK_FILE_MAX_BYTES) return null;
  const text = (await readFile(file, 'utf8')).trim();
  if (!text || /\s/.test(text) || path.isAbsolute(text)) return null;
  // A bare name in a `domains` file could be a one-entry list; only a name that resolves counts as a link.
  const target = path.resolve(path.dirname(file), text);
  try {
    await stat(target);
    return target;
  } catch {
    return null;
  }
}

/**
 * Where `entry` really is, following symbolic links and link files, or null when it points
 * nowhere or outside `root`.
 */
async function resolveEntry(root: string, entry: string, depth = 0): Promise<{ real: string; isDir: boolean; linked: boolean } | null> {
  if (depth > 8) return null;
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(entry);
  } catch {
    return null;
  }
  if (info.isSymbolicLink()) {
    let real: string;
    try {
      real = await realpath(entry);
    } catch {
      return null;
    }
    if (!within(root, real)) return null;
    const resolved = await resolveEntry(root, real, depth + 1);
    return resolved && { ...resolved, linked: true };
  }
  if (info.isDirectory()) return { real: entry, isDir: true, linked: false };
  if (!info.isFile()) return null;
  const target = await linkFileTarget(entry, info.size);
  if (target) {
    const real = await realpath(target).catch(() => null);
    if (!real || !within(root, real)) return null;
    const resolved = await resolveEntry(root, real, depth + 1);
    return resolved && { ...resolved, linked: true };
  }
  return { real: entry, isDir: false, linked: false };
}

const hasListFiles = async (dir: string) => {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.includes('domains') || names.includes('urls');
};

/** The folder holding the category folders: `dir`, or the single folder a tarball wraps them in. */
async function findCategoryRoot(dir: string): Promise<string> {
  let current = dir;
  for (let depth = 0; depth < 3; depth++) {
    const names = await readdir(current);
    for (const name of names) {
      const full = path.join(current, name);
      if ((await lstat(full)).isDirectory() && (await hasListFiles(full))) return current;
    }
    const dirs: string[] = [];
    for (const name of names) if ((await lstat(path.join(current, name))).isDirectory()) dirs.push(name);
    if (dirs.length !== 1) return current;
    current = path.join(current, dirs[0]!);
  }
  return current;
}

/** Finds the category folders of a UT1 tree and groups them by Tutela category. */
export async function scanUt1Tree(dir: string): Promise<Ut1Tree> {
  let root: string;
  try {
    root = await realpath(await findCategoryRoot(await realpath(dir)));
  } catch (error) {
    throw new ListSourceError(`cannot read the list folder: ${(error as Error).message}`);
  }
  const tree: Ut1Tree = { root, groups: new Map(), ignored: [], unknown: [], links: [], brokenLinks: [] };
  const seen = new Set<string>();
  const names = (await readdir(root)).sort();
  for (const name of names) {
    const full = path.join(root, name);
    const resolved = await resolveEntry(root, full);
    if (!resolved) {
      if ((await lstat(full)).isSymbolicLink()) tree.brokenLinks.push(name);
      continue;
    }
    if (!resolved.isDir) continue;
    const folder = path.basename(resolved.real);
    if (resolved.linked) tree.links.push(`${name} -> ${folder}`);
    if (seen.has(resolved.real)) continue;
    seen.add(resolved.real);
    if (!(await hasListFiles(resolved.real))) continue;
    const category = ut1Category(folder);
    if (category === undefined) tree.unknown.push(folder);
    else if (category === null) tree.ignored.push(folder);
    else tree.groups.set(category, [...(tree.groups.get(category) ?? []), folder]);
  }
  return tree;
}

function takeLine(line: string, kind: LineKind, into: string[], skipped: SkippedLines) {
  const parsed = parseListLine(line, kind);
  if (parsed.type === 'entry') into.push(parsed.value);
  else if (parsed.type === 'blank') skipped.blank += 1;
  else if (parsed.type === 'comment') skipped.comments += 1;
  else {
    skipped.invalid += 1;
    if (skipped.invalidExamples.length < MAX_EXAMPLES) skipped.invalidExamples.push(line.trim().slice(0, 200));
  }
}

/** Streams a list file line by line: the full UT1 `adult/domains` is over 100 MB. */
async function readListFile(file: string, kind: LineKind, into: string[], skipped: SkippedLines) {
  let carry = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop()!;
    for (const line of lines) takeLine(line, kind, into, skipped);
  }
  if (carry) takeLine(carry, kind, into, skipped);
}

/** The merged, normalised entries of every folder that maps to `category`. */
export async function readCategory(tree: Ut1Tree, category: CategoryId): Promise<CategoryEntries> {
  const out: CategoryEntries = {
    domains: [],
    urls: [],
    skipped: { blank: 0, comments: 0, invalid: 0, duplicates: 0, invalidExamples: [] },
  };
  const filesRead = new Set<string>();
  for (const folder of tree.groups.get(category) ?? []) {
    for (const [file, kind] of [
      ['domains', 'domain'],
      ['urls', 'url'],
    ] as const) {
      const resolved = await resolveEntry(tree.root, path.join(tree.root, folder, file));
      if (!resolved || resolved.isDir || filesRead.has(resolved.real)) continue;
      filesRead.add(resolved.real);
      await readListFile(resolved.real, kind, kind === 'domain' ? out.domains : out.urls, out.skipped);
    }
  }
  out.skipped.duplicates = sortUnique(out.domains) + sortUnique(out.urls);
  return out;
}

/**
 * Sorts in place and drops repeats, returning how many were dropped. Sorting an array and
 * comparing neighbours is several times faster, and far smaller, than a Set of millions of
 * entries (the full UT1 `adult` list has about five million).
 */
function sortUnique(entries: string[]): number {
  entries.sort();
  let kept = 0;
  for (let i = 0; i < entries.length; i++) {
    if (i === 0 || entries[i] !== entries[kept - 1]) entries[kept++] = entries[i]!;
  }
  const dropped = entries.length - kept;
  entries.length = kept;
  return dropped;
}
