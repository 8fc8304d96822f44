import { useSearchParams } from 'react-router';

/** List filters kept in the URL, so a filtered view can be shared and survives a reload. */
export function useUrlFilters() {
  const [parameters, setParameters] = useSearchParams();
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(parameters);
    if (value) next.set(name, value);
    else next.delete(name);
    setParameters(next, { replace: true });
  };
  // One URL change for all of them: several setFilter calls in a row would each start from the same old URL.
  const clearFilters = (names: readonly string[]) => {
    const next = new URLSearchParams(parameters);
    for (const name of names) next.delete(name);
    setParameters(next, { replace: true });
  };
  return { parameters, setFilter, clearFilters };
}
