import type { CellKey } from '../../../main/api/scaling';

export type CorrectnessFilter = 'all' | 'correct' | 'wrong';

/** What the drill-down list shows: a filter on correctness and category, and a page. */
export interface CellItemsQuery {
  correctness: CorrectnessFilter;
  category: string | null;
  page: number;
}

export const CELL_ITEMS_PAGE_SIZE = 20;

export const initialCellItemsQuery: CellItemsQuery = { correctness: 'all', category: null, page: 0 };

/** A filter change starts again at the first page. */
export function withCellFilter(
  query: CellItemsQuery,
  change: Partial<Omit<CellItemsQuery, 'page'>>,
): CellItemsQuery {
  return { ...query, ...change, page: 0 };
}

/** The scaling.items params for a query (absent filters are left out, so the engine applies none). */
export function cellItemsParams(studyId: string, cell: CellKey, query: CellItemsQuery) {
  return {
    id: studyId,
    cell,
    ...(query.correctness !== 'all' ? { correct: query.correctness === 'correct' } : {}),
    ...(query.category !== null ? { category: query.category } : {}),
    offset: query.page * CELL_ITEMS_PAGE_SIZE,
    limit: CELL_ITEMS_PAGE_SIZE,
  };
}

export function cellPageCount(total: number): number {
  return Math.max(1, Math.ceil(total / CELL_ITEMS_PAGE_SIZE));
}

/** "Qwen-VL → Llama", or "Qwen-VL (direct)" for the baseline. */
export function cellTitle(cell: CellKey): string {
  return cell.solver === null ? `${cell.captioner} (direct)` : `${cell.captioner} → ${cell.solver}`;
}

export function sameCell(a: CellKey | null, b: CellKey | null): boolean {
  return a !== null && b !== null && a.captioner === b.captioner && a.solver === b.solver;
}

/** The letter a choice is known by in the question (A, B, …). */
export function choiceLetter(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : String(index + 1);
}
