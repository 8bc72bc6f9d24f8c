import { basename, extname } from 'node:path';

/**
 * The source recording of a clip: the file name without extension, up to the LAST '-'.
 * `XC3776-3.wav` → `XC3776`, `recording_08-2.wav` → `recording_08`,
 * `crickets-chirping-7.wav` → `crickets-chirping`. A name without '-' (or with only a
 * leading one) is its own group.
 */
export function groupOf(fileName: string): string {
  const base = basename(fileName);
  const stem = base.slice(0, base.length - extname(base).length);
  const cut = stem.lastIndexOf('-');
  return cut > 0 ? stem.slice(0, cut) : stem;
}
