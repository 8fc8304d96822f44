/** The problem with one form field, under it; nothing when there is none. Point the input's aria-describedby at `id`. */
export function FieldError({ message, id }: { message?: string | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 font-mono text-xs font-bold text-danger">
      {message}
    </p>
  );
}
