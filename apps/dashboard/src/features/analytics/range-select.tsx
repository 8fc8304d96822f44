import { rangeChoices } from './analytics-api';

/** The range of the Analytics and Costs pages, in days. */
export function RangeSelect({ id, value, onChange }: { id: string; value: string; onChange: (value: string) => void }) {
  return (
    <div>
      <label className="brutal-label" htmlFor={id}>
        Range
      </label>
      <select id={id} className="brutal-input" value={value} onChange={(event) => onChange(event.target.value)}>
        {rangeChoices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
