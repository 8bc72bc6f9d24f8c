import { basename, extname } from 'node:path';

/**
 * The source recording of a clip: the file name without extension, up to the LAST '-', in lower
 * case, so names that differ only in case are one group (the Kaggle set has both
 * `Crickets-chirping-3.wav` and `crickets-chirping-3.wav`, cut from one sound effect).
 * `XC3776-3.wav` → `xc3776`, `recording_08-2.wav` → `recording_08`,
 * `crickets-chirping-7.wav` → `crickets-chirping`. A name without '-' (or with only a leading
 * one) is its own group.
 */
export function groupOf(fileName: string): string {
  const base = basename(fileName);
  const stem = base.slice(0, base.length - extname(base).length);
  const cut = stem.lastIndexOf('-');
  return (cut > 0 ? stem.slice(0, cut) : stem).toLowerCase();
}
