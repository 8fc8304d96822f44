/** Buttons choosing which part of a list to show ("Waiting", "Decided"): the chosen one is pressed. */
export function ViewButtons<Value extends string>({
  views,
  value,
  onChange,
}: {
  views: readonly { status: Value; label: string }[];
  value: Value;
  onChange: (value: Value) => void;
}) {
  return (
    <fieldset className="flex flex-wrap gap-1">
      <legend className="sr-only">Show</legend>
      {views.map((view) => (
        <button
          key={view.status}
          type="button"
          className="brutal-button"
          aria-pressed={value === view.status}
          data-variant={value === view.status ? 'primary' : undefined}
          onClick={() => onChange(view.status)}
        >
          {view.label}
        </button>
      ))}
    </fieldset>
  );
}

/** Approve and Reject side by side, both disabled while a decision is on its way. */
export function DecisionButtons({ pending, onDecide }: { pending: boolean; onDecide: (decision: 'approve' | 'reject') => void }) {
  return (
    <div className="flex flex-wrap gap-2">
      <button type="button" className="brutal-button" data-variant="primary" disabled={pending} onClick={() => onDecide('approve')}>
        Approve
      </button>
      <button type="button" className="brutal-button" data-variant="danger" disabled={pending} onClick={() => onDecide('reject')}>
        Reject
      </button>
    </div>
  );
}
