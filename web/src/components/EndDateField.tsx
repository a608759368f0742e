/** Guests and community users are temporary by definition: the server refuses them without an end. */
export const needsEndDate = (kind: string) => kind === 'guest' || kind === 'community';

/** The first day without access; the hint says so because "ends on" reads both ways. */
export function EndDateField({
  id,
  value,
  onChange,
  required,
  min,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  min?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Access ends on{required ? '' : ' (optional)'}</label>
      <span className="hint" id={`${id}-hint`}>
        Their access stops at midnight as this day begins, so choose the day after their last day.
        {required ? ' Guests and community users always need an end date.' : ''}
      </span>
      <input
        id={id}
        type="date"
        required={required}
        min={min}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={`${id}-hint`}
      />
    </div>
  );
}
