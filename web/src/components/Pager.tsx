export function Pager({
  offset,
  limit,
  total,
  onChange,
  label,
}: {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
  label: string;
}) {
  if (total === 0) return null;
  const from = offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={label}>
      <p>
        Showing {from}–{to} of {total}
      </p>
      <div className="button-row">
        <button type="button" className="secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
          Previous page
        </button>
        <button type="button" className="secondary" disabled={to >= total} onClick={() => onChange(offset + limit)}>
          Next page
        </button>
      </div>
    </nav>
  );
}
