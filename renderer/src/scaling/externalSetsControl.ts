import type { ErrorDescription } from '../api/describeError';
import type { ExternalResultSet } from '../../../main/api/scaling';

/** The page's external sets and which of them the charts overlay (shared by the overview and every study). */
export interface ExternalSetsControl {
  sets: ExternalResultSet[];
  shown: ReadonlySet<string>;
  setShown: (shown: Set<string>) => void;
  /** Re-read the list after an import (the new set is shown at once) or a removal. */
  changed: (imported?: ExternalResultSet) => void;
  error: ErrorDescription | null;
}

/**
 * Sets are shown unless the person hid them: new sets (the demo set on a fresh data dir, an import) appear
 * on the charts without a click.
 */
export function shownSets(sets: readonly ExternalResultSet[], hidden: ReadonlySet<string>): Set<string> {
  return new Set(sets.filter((s) => !hidden.has(s.id)).map((s) => s.id));
}
