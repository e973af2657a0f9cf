import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { bn } from './bn';
import { consoleBn } from './console.bn';
import { consoleEn } from './console.en';
import { en } from './en';

/** The languages of the app; every string exists in each (bn.ts has the type of en.ts). */
export const LANGUAGES = [
  { code: 'en', label: 'English', locale: 'en-GB' },
  { code: 'bn', label: 'বাংলা', locale: 'bn-BD' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'bo.language';

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'bn') return stored;
  return navigator.languages?.some((language) => language.toLowerCase().startsWith('bn')) ? 'bn' : 'en';
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en & { console: typeof consoleEn } };
  }
}

void i18next.use(initReactI18next).init({
  // The organizer console's strings live in files of their own, under `console`.
  resources: { en: { translation: { ...en, console: consoleEn } }, bn: { translation: { ...bn, console: consoleBn } } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  // React escapes what it renders; i18next must not escape a second time.
  interpolation: { escapeValue: false },
  returnNull: false,
});

function applyLanguage(language: string): void {
  document.documentElement.lang = language;
}
applyLanguage(i18next.language);
i18next.on('languageChanged', (language) => {
  localStorage.setItem(STORAGE_KEY, language);
  applyLanguage(language);
});

/** The BCP 47 locale for number and date formats of the current language. */
export function currentLocale(): string {
  return LANGUAGES.find((language) => language.code === i18next.language)?.locale ?? 'en-GB';
}

export { i18next };
