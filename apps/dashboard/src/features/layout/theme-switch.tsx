import { setTheme, type ThemeChoice, useTheme } from './theme';

const choices: ThemeChoice[] = ['system', 'light', 'dark'];

/** A three-way switch; radio semantics so arrow keys move between the options. */
export function ThemeSwitch() {
  const theme = useTheme();
  return (
    <fieldset className="inline-flex border-2 border-ink" aria-label="Theme">
      {choices.map((choice) => (
        <label
          key={choice}
          className={`cursor-pointer px-2 py-0.5 font-mono text-xs font-bold uppercase ${theme === choice ? 'bg-ink text-paper' : ''}`}
        >
          <input
            type="radio"
            name="theme"
            value={choice}
            checked={theme === choice}
            onChange={() => setTheme(choice)}
            className="sr-only"
          />
          {choice}
        </label>
      ))}
    </fieldset>
  );
}
