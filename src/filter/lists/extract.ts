import path from 'node:path';
import { type ReadEntry, x as extract } from 'tar';
import { ListSourceError } from './download.js';

export interface ExtractLimits {
  /** Sum of the entries' sizes: stops an archive that unpacks to far more than it weighs. */
  maxBytes: number;
  maxEntries: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxBytes: 4 * 1024 * 1024 * 1024, maxEntries: 100_000 };

const KEPT_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink']);

/** Why an archive entry must not be unpacked, or null when it is safe. */
export function unsafeEntryReason(entryPath: string, type: string, linkpath: string | undefined): string | null {
  const parts = entryPath.split(/[\\/]+/);
  if (path.posix.isAbsolute(entryPath) || path.win32.isAbsolute(entryPath)) return `absolute path ${entryPath}`;
  if (parts.includes('..')) return `path ${entryPath} leaves the archive`;
  if (type === 'SymbolicLink' || type === 'Link') {
    if (!linkpath) return `link ${entryPath} has no target`;
    if (path.posix.isAbsolute(linkpath) || path.win32.isAbsolute(linkpath)) return `link ${entryPath} points to an absolute path`;
    const base = type === 'Link' ? linkpath : path.posix.join(path.posix.dirname(entryPath.replace(/\\/g, '/')), linkpath);
    const target = path.posix.normalize(base);
    if (target === '..' || target.startsWith('../')) return `link ${entryPath} points outside the archive`;
  }
  return null;
}

/**
 * Unpacks a .tar.gz (or plain .tar) into `dir`, refusing the whole archive when any entry has an
 * absolute path, a `..` segment or a link out of the archive, and when it is corrupt, truncated
 * or larger than the limits. Devices, FIFOs and hard links are not unpacked.
 */
export async function extractTarball(file: string, dir: string, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS): Promise<void> {
  let problem: string | null = null;
  let bytes = 0;
  let entries = 0;
  try {
    await extract({
      file,
      cwd: dir,
      strict: true,
      preservePaths: false,
      preserveOwner: false,
      filter: (entryPath, entry) => {
        const e = entry as ReadEntry;
        const reason = unsafeEntryReason(entryPath, e.type, e.linkpath);
        if (reason) {
          problem ??= `the archive is refused: ${reason}`;
          return false;
        }
        entries += 1;
        bytes += e.size ?? 0;
        if (entries > limits.maxEntries || bytes > limits.maxBytes) {
          problem ??= `the archive is refused: it unpacks to more than ${limits.maxEntries} entries or ${limits.maxBytes} bytes`;
          return false;
        }
        return problem === null && KEPT_TYPES.has(e.type);
      },
    });
  } catch (error) {
    throw new ListSourceError(`the archive is corrupt or truncated: ${(error as Error).message}`);
  }
  if (problem) throw new ListSourceError(problem);
}
