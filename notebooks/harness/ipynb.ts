/** Reading, inspecting and stripping Jupyter notebooks (nbformat 4 JSON). */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { formatZodIssues } from '../../lib/util/zodIssues.ts';

const textSchema = z.union([z.string(), z.array(z.string())]);

const cellSchema = z
  .object({
    cell_type: z.enum(['code', 'markdown', 'raw']),
    source: textSchema,
    metadata: z.record(z.unknown()).default({}),
    outputs: z.array(z.record(z.unknown())).optional(),
    execution_count: z.number().int().nullable().optional(),
  })
  .passthrough();

const notebookSchema = z
  .object({
    nbformat: z.literal(4, { message: 'must be 4 (save it with Jupyter >= 4)' }),
    nbformat_minor: z.number().int(),
    metadata: z.record(z.unknown()),
    cells: z.array(cellSchema),
  })
  .passthrough();

export type NotebookCell = z.infer<typeof cellSchema>;
export type Notebook = z.infer<typeof notebookSchema>;

/** Parse notebook JSON text; the error names the file and the first bad field. */
export function parseNotebook(text: string, file: string): Notebook {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message}). Fix: restore it from git or re-save it in Jupyter.`);
  }
  const parsed = notebookSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${file}: not a Jupyter notebook: ${formatZodIssues(parsed.error, { root: '(notebook)', limit: 1 })}. Fix: re-save it in Jupyter.`);
  }
  return parsed.data;
}

export function readNotebook(path: string): Notebook {
  return parseNotebook(readFileSync(path, 'utf8'), path);
}

export function sourceText(cell: Pick<NotebookCell, 'source'>): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** "01_explore_data" for "notebooks/01_explore_data.ipynb". */
export function notebookName(path: string): string {
  return basename(path).replace(/\.ipynb$/, '');
}

/** Executed-state metadata that nbclient/Jupyter add to a cell. */
const EXECUTION_METADATA = ['execution', 'collapsed', 'scrolled'];

/** A copy with no outputs, execution counts or execution timings (what gets committed). */
export function stripOutputs(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((cell) => {
      const metadata = Object.fromEntries(Object.entries(cell.metadata).filter(([k]) => !EXECUTION_METADATA.includes(k)));
      if (cell.cell_type !== 'code') return { ...cell, metadata };
      return { ...cell, metadata, outputs: [], execution_count: null };
    }),
  };
}

/** Why a notebook is not clean for committing, or [] when it is. */
export function unstrippedCells(nb: Notebook): string[] {
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    if ((cell.outputs ?? []).length > 0) problems.push(`cell ${i} has ${cell.outputs!.length} output(s)`);
    if (cell.execution_count != null) problems.push(`cell ${i} has execution_count ${cell.execution_count}`);
    for (const key of EXECUTION_METADATA) if (key in cell.metadata) problems.push(`cell ${i} has metadata.${key}`);
  });
  return problems;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Serialise as nbformat does (sorted keys, one-space indent, trailing newline), so diffs stay small. */
export function formatNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(nb), null, 1) + '\n';
}

/** 1-based position of a cell among the code cells (what Jupyter users count). */
export function codeCellNumber(nb: Notebook, cellIndex: number): number {
  return nb.cells.slice(0, cellIndex + 1).filter((c) => c.cell_type === 'code').length;
}

export function codeCellCount(nb: Notebook): number {
  return nb.cells.filter((c) => c.cell_type === 'code').length;
}
