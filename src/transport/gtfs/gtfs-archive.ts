import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { ProblemLog } from './gtfs-problems.js';

/**
 * Reads the files of a GTFS feed from a zip archive (bytes or a path) or from a folder, without a native
 * dependency (fflate is pure JavaScript). Only `.txt` files are read; everything about the container
 * itself (not a zip, too big, files in a sub-folder) is reported to the problem log.
 */

/** Uncompressed bytes of one feed we accept; a zip that claims more is refused before inflating. */
export const MAX_FEED_BYTES = 1024 * 1024 * 1024;
/** One file must fit a JavaScript string once decoded. */
const MAX_FILE_BYTES = 400 * 1024 * 1024;

export type FeedFiles = Map<string, Uint8Array>;

/** Reads a feed from a path: a .zip file or a folder. */
export function readFeedPath(feedPath: string, problems: ProblemLog): FeedFiles | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(feedPath);
  } catch {
    problems.error('archive_unreadable', { message: `${feedPath} does not exist or cannot be read` });
    return undefined;
  }
  if (stat.isDirectory()) return readFeedFolder(feedPath, problems);
  return readFeedZip(fs.readFileSync(feedPath), problems);
}

/** Reads the .txt files of a folder (or of its only sub-folder holding them). */
export function readFeedFolder(folder: string, problems: ProblemLog): FeedFiles | undefined {
  const files: FeedFiles = new Map();
  let dir = folder;
  const txtIn = (d: string) => fs.readdirSync(d).filter((name) => name.toLowerCase().endsWith('.txt'));
  if (txtIn(dir).length === 0) {
    const subfolders = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && txtIn(path.join(dir, entry.name)).length > 0);
    if (subfolders.length === 1) {
      problems.warning('files_in_subfolder', {
        message: `the feed files are in the sub-folder ${subfolders[0]!.name}/, not at the top; read from there`,
      });
      dir = path.join(dir, subfolders[0]!.name);
    }
  }
  let total = 0;
  for (const name of txtIn(dir)) {
    const file = path.join(dir, name);
    const size = fs.statSync(file).size;
    total += size;
    if (size > MAX_FILE_BYTES || total > MAX_FEED_BYTES) {
      problems.error('archive_too_large', { file: name, message: 'the feed is larger than this importer accepts' });
      return undefined;
    }
    files.set(name, fs.readFileSync(file));
  }
  return files;
}

/** Reads the .txt files of a zip archive held in memory. */
export function readFeedZip(bytes: Uint8Array, problems: ProblemLog): FeedFiles | undefined {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    problems.error('archive_unreadable', { message: 'the file is not a zip archive (GTFS feeds are .zip files)' });
    return undefined;
  }
  const sizes = new Map<string, number>();
  let total = 0;
  let tooLarge = false;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (file.name.endsWith('/') || !file.name.toLowerCase().endsWith('.txt')) return false;
        if (path.posix.basename(file.name).startsWith('._')) return false; // macOS resource forks
        total += file.originalSize;
        if (file.originalSize > MAX_FILE_BYTES || total > MAX_FEED_BYTES) tooLarge = true;
        sizes.set(file.name, file.originalSize);
        return !tooLarge;
      },
    });
  } catch (error) {
    problems.error('archive_unreadable', {
      message: `the zip archive cannot be read (${error instanceof Error ? error.message : String(error)})`,
    });
    return undefined;
  }
  if (tooLarge) {
    problems.error('archive_too_large', { message: 'the feed is larger than this importer accepts' });
    return undefined;
  }
  const names = Object.keys(entries);
  const atRoot = names.filter((name) => !name.includes('/'));
  let chosen = atRoot;
  let prefix = '';
  if (atRoot.length === 0 && names.length > 0) {
    const folders = [...new Set(names.map((name) => name.slice(0, name.lastIndexOf('/') + 1)))];
    if (folders.length === 1) {
      prefix = folders[0]!;
      chosen = names;
      problems.warning('files_in_subfolder', {
        message: `the feed files are in the folder ${prefix} inside the zip, not at its top; read from there`,
      });
    } else {
      problems.error('archive_unreadable', {
        message: `the zip holds no feed files at its top, but several folders (${folders.join(', ')}); zip one feed`,
      });
      return undefined;
    }
  }
  const files: FeedFiles = new Map();
  for (const name of chosen) files.set(name.slice(prefix.length), entries[name]!);
  return files;
}
