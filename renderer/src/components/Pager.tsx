/** Previous / Next under a paged list, shown only when there is more than one page. */
export function Pager({
  page,
  pages,
  onPage,
  testIdPrefix,
}: {
  /** Zero-based. */
  page: number;
  pages: number;
  onPage: (page: number) => void;
  /** Gives the buttons `${testIdPrefix}-previous` and `${testIdPrefix}-next`. */
  testIdPrefix?: string;
}) {
  if (pages <= 1) return null;
  return (
    <div className="pager">
      <button
        type="button"
        className="button button--small"
        disabled={page === 0}
        onClick={() => onPage(page - 1)}
        data-testid={testIdPrefix && `${testIdPrefix}-previous`}
      >
        Previous
      </button>
      <span className="muted num">
        Page {page + 1} of {pages}
      </span>
      <button
        type="button"
        className="button button--small"
        disabled={page + 1 >= pages}
        onClick={() => onPage(page + 1)}
        data-testid={testIdPrefix && `${testIdPrefix}-next`}
      >
        Next
      </button>
    </div>
  );
}
