import { useEffect, useRef, useState } from 'react';
import type { CellKey, StudyDetail, StudyItem } from '../../../main/api/scaling';
import { CategorySelect } from '../components/CategorySelect';
import { Icon } from '../components/Icon';
import { Pager } from '../components/Pager';
import { CaptionMarkdown } from '../datasets/CaptionMarkdown';
import { ItemThumb } from '../datasets/ItemThumb';
import { formatAccuracyValue, formatCi } from './accuracyTable';
import {
  cellPageCount,
  cellTitle,
  choiceLetter,
  initialCellItemsQuery,
  withCellFilter,
} from './cellItemsQuery';
import type { CellItemsQuery, CorrectnessFilter } from './cellItemsQuery';
import { ImageLightbox } from './ImageLightbox';
import { useCellItems } from './useScaling';

const CORRECTNESS: { value: CorrectnessFilter; label: string }[] = [
  { value: 'all', label: 'All answers' },
  { value: 'correct', label: 'Correct' },
  { value: 'wrong', label: 'Wrong' },
];

function Verdict({ item }: { item: StudyItem }) {
  if (item.correct === null)
    return (
      <span className="badge badge--queued" data-testid="scaling-item-verdict" data-correct="pending">
        pending
      </span>
    );
  return item.correct ? (
    <span className="badge badge--done" data-testid="scaling-item-verdict" data-correct="true">
      ✓ correct
    </span>
  ) : (
    <span className="badge badge--failed" data-testid="scaling-item-verdict" data-correct="false">
      ✗ wrong
    </span>
  );
}

function ItemCard({
  item,
  variant,
  direct,
  onEnlarge,
}: {
  item: StudyItem;
  variant: StudyDetail['variant'];
  direct: boolean;
  onEnlarge: () => void;
}) {
  return (
    <li
      className="scaling-item"
      data-testid="scaling-item"
      data-uid={item.uid}
      data-correct={String(item.correct)}
    >
      <div className="scaling-item__image">
        {item.imageSha256 ? (
          <button
            type="button"
            className="scaling-item__thumb"
            onClick={onEnlarge}
            aria-label={`Enlarge the image of item ${item.uid}`}
            title="Enlarge"
            data-testid="scaling-item-thumb"
          >
            <ItemThumb sha256={item.imageSha256} size={132} />
          </button>
        ) : (
          <ItemThumb sha256={null} size={132} />
        )}
        <span className="muted mono scaling-item__uid">{item.uid}</span>
        {(item.benchmark || item.category) && (
          <span className="muted scaling-item__tags">
            {[item.benchmark, item.category].filter(Boolean).join(' · ')}
          </span>
        )}
      </div>
      <div className="scaling-item__text">
        <div className="scaling-item__row">
          <Verdict item={item} />
          <span className="scaling-item__answers">
            gold <strong data-testid="scaling-item-gold">{item.answer}</strong>
            {' · '}extracted <strong data-testid="scaling-item-extracted">{item.extracted ?? '—'}</strong>
          </span>
        </div>
        <div className="scaling-item__block">
          <h4 className="scaling-item__heading">Question</h4>
          <CaptionMarkdown text={item.question} />
          {item.choices && item.choices.length > 0 && (
            <ol className="scaling-item__choices" type="A">
              {item.choices.map((c, i) => (
                <li key={i} data-letter={choiceLetter(i)}>
                  {c}
                </li>
              ))}
            </ol>
          )}
        </div>
        {!direct && (
          <div className="scaling-item__block" data-testid="scaling-item-caption">
            <h4 className="scaling-item__heading">{variant === 'code' ? 'Captioner’s code' : 'Caption'}</h4>
            {item.caption ? (
              <CaptionMarkdown text={item.caption} />
            ) : (
              <p className="muted">Not written yet.</p>
            )}
          </div>
        )}
        <div className="scaling-item__block" data-testid="scaling-item-response">
          <h4 className="scaling-item__heading">{direct ? 'Answer from the image' : 'Solver’s answer'}</h4>
          {item.response ? <CaptionMarkdown text={item.response} /> : <p className="muted">No answer yet.</p>}
        </div>
        {item.error && (
          <p className="banner banner--error" role="note" data-testid="scaling-item-error">
            <Icon name="error" />
            <span>{item.error}</span>
          </p>
        )}
      </div>
    </li>
  );
}

/**
 * The items behind one point of a chart (a cell of the grid): filter by correctness and category, page
 * through, each with its image, question, caption, the answer and whether it was right.
 */
export function CellItems({
  study,
  cell,
  version,
  onClose,
}: {
  study: StudyDetail;
  cell: CellKey;
  version: string;
  onClose: () => void;
}) {
  const [query, setQuery] = useState<CellItemsQuery>(initialCellItemsQuery);
  const { items, total, loading, error } = useCellItems(study.id, cell, query, version);
  const [enlarged, setEnlarged] = useState<StudyItem | null>(null);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    // The parent keys this view by cell, so a newly opened cell comes into view and takes the focus.
    section.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    section.current?.focus({ preventScroll: true });
  }, []);
  const stats = study.cells.find((c) => c.captioner === cell.captioner && c.solver === cell.solver) ?? null;
  const categories = stats ? Object.keys(stats.byCategory).sort((a, b) => a.localeCompare(b)) : [];
  const pages = cellPageCount(total);
  return (
    <section
      ref={section}
      tabIndex={-1}
      className="card scaling-items"
      aria-label={`Items of ${cellTitle(cell)}`}
      data-testid="scaling-cell-items"
      data-captioner={cell.captioner}
      data-solver={cell.solver ?? ''}
    >
      <header className="card__header card__header--row">
        <div>
          <h2 className="card__title" data-testid="scaling-cell-title">
            {cellTitle(cell)}
          </h2>
          {stats && (
            <p className="card__subtitle num">
              {formatAccuracyValue(stats.overall.mean)} {formatCi(stats.overall)} · {stats.overall.correct} of{' '}
              {stats.overall.n} correct{stats.failed > 0 ? ` · ${stats.failed} failed` : ''}
              {stats.pending > 0 ? ` · ${stats.pending} pending` : ''}
            </p>
          )}
        </div>
        <div className="scaling-filters">
          <select
            className="input input--select-narrow"
            value={query.correctness}
            onChange={(e) =>
              setQuery((q) => withCellFilter(q, { correctness: e.target.value as CorrectnessFilter }))
            }
            aria-label="Correctness"
            data-testid="scaling-items-correct"
          >
            {CORRECTNESS.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          {categories.length > 0 && (
            <CategorySelect
              value={query.category}
              categories={categories}
              onChange={(category) => setQuery((q) => withCellFilter(q, { category }))}
              testId="scaling-items-category"
            />
          )}
          <button
            type="button"
            className="icon-button"
            onClick={onClose}
            aria-label="Close the items"
            title="Close"
            data-testid="scaling-items-close"
          >
            <Icon name="close" />
          </button>
        </div>
      </header>
      {error && (
        <p className="banner banner--error" role="alert">
          <Icon name="error" />
          <span>{error.message}</span>
        </p>
      )}
      <p className="muted scaling-items__count num" aria-live="polite" data-testid="scaling-items-total">
        {loading ? 'Loading…' : `${total} item${total === 1 ? '' : 's'}`}
      </p>
      <ul className="scaling-items__list" data-loading={loading || undefined}>
        {items.map((item) => (
          <ItemCard
            key={item.itemId}
            item={item}
            variant={study.variant}
            direct={cell.solver === null}
            onEnlarge={() => setEnlarged(item)}
          />
        ))}
      </ul>
      {!loading && items.length === 0 && <p className="card__empty">No item matches.</p>}
      <Pager
        page={query.page}
        pages={pages}
        onPage={(page) => setQuery((q) => ({ ...q, page }))}
        testIdPrefix="scaling-items"
      />
      {enlarged?.imageSha256 && (
        <ImageLightbox
          sha256={enlarged.imageSha256}
          title={`Item ${enlarged.uid}`}
          onClose={() => setEnlarged(null)}
        />
      )}
    </section>
  );
}
