/** A labelled text filter of a list page. */
export function FilterInput(props: { id: string; label: string; value: string; placeholder: string; onChange: (value: string) => void }) {
  return (
    <div>
      <label className="brutal-label" htmlFor={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        className="brutal-input"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        placeholder={props.placeholder}
      />
    </div>
  );
}

/** A labelled choice filter of a list page; the empty value means "any". */
export function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  anyLabel: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <div>
      <label className="brutal-label" htmlFor={props.id}>
        {props.label}
      </label>
      <select id={props.id} className="brutal-input" value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">{props.anyLabel}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
