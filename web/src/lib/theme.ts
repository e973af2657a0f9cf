/** Light, dark, or the system's choice (no attribute: daisyUI follows prefers-color-scheme). */
export type ThemeChoice = 'light' | 'dark' | 'system';

const STORAGE_KEY = 'bo.theme';
const THEME_NAMES: Record<Exclude<ThemeChoice, 'system'>, string> = { light: 'boxoffice', dark: 'boxoffice-dark' };

export function storedTheme(): ThemeChoice {
  const value = localStorage.getItem(STORAGE_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') {
    document.documentElement.removeAttribute('data-theme');
    localStorage.removeItem(STORAGE_KEY);
  } else {
    document.documentElement.setAttribute('data-theme', THEME_NAMES[choice]);
    localStorage.setItem(STORAGE_KEY, choice);
  }
}

export function applyStoredTheme(): void {
  applyTheme(storedTheme());
}

/** Whether the page shows dark right now (for the toggle's label). */
export function isDark(): boolean {
  const attribute = document.documentElement.getAttribute('data-theme');
  if (attribute) return attribute === THEME_NAMES.dark;
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}
