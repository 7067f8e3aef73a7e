/** Narrows a list to one category; empty: every category. */
export function CategorySelect({
  value,
  categories,
  onChange,
  testId,
}: {
  value: string | null;
  categories: string[];
  onChange: (category: string | null) => void;
  testId: string;
}) {
  return (
    <select
      className="input input--select-narrow"
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value || null)}
      aria-label="Category"
      data-testid={testId}
    >
      <option value="">Every category</option>
      {categories.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
}
