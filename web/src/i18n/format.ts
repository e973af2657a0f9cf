import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from './index';

/**
 * Money is an integer in minor units with its currency; dates are UTC instants shown in the venue's or
 * stop's own time zone, never the browser's. Formatters are cached: Intl constructors are not cheap.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cachedNumberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

function cachedDateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

/** Digits after the decimal point of a currency (BDT 2, JPY 0). */
export function currencyDigits(currency: string): number {
  return cachedNumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 150000 BDT → "৳1,500" in English, "৳১,৫০০" in Bangla; whole amounts drop ".00". */
export function formatMoney(amount: number, currency: string, locale = currentLocale()): string {
  const digits = currencyDigits(currency);
  const value = amount / 10 ** digits;
  const whole = Number.isInteger(value);
  return cachedNumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: whole ? 0 : digits,
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatNumber(value: number, locale = currentLocale()): string {
  return cachedNumberFormat(locale, {}).format(value);
}

type DateStyle = 'date' | 'dateLong' | 'time' | 'dateTime' | 'weekday' | 'dayMonth';

const DATE_OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { day: 'numeric', month: 'short', year: 'numeric' },
  dateLong: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  time: { hour: 'numeric', minute: '2-digit' },
  dateTime: { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' },
  weekday: { weekday: 'short', day: 'numeric', month: 'short' },
  dayMonth: { day: 'numeric', month: 'short' },
};

/** An instant in a time zone, e.g. formatDate(startsAt, 'Asia/Dhaka', 'dateTime'). */
export function formatDate(iso: string | Date, timeZone: string, style: DateStyle, locale = currentLocale()): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return cachedDateFormat(locale, { ...DATE_OPTIONS[style], timeZone }).format(date);
}

/** The short name of a time zone at an instant ("GMT+6"), shown next to times. */
export function timeZoneLabel(iso: string, timeZone: string, locale = currentLocale()): string {
  const parts = cachedDateFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(new Date(iso));
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/** YYYY-MM-DD of an instant in a time zone (the API's local dates). */
export function localDate(iso: string | Date, timeZone: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return cachedDateFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** The buyer's own time zone: "today" in date pickers (times of events and trips use theirs). */
export const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Today's date in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string): string {
  return localDate(new Date(), timeZone);
}

/** A YYYY-MM-DD date shown as a day, e.g. "Tue, 1 Dec". */
export function formatLocalDate(date: string, locale = currentLocale()): string {
  // Noon UTC of that date is the same calendar day in every time zone we show.
  return cachedDateFormat(locale, { ...DATE_OPTIONS.weekday, timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

/** Hooks re-render on a language change; the formatters read the current language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'bn' ? 'bn-BD' : 'en-GB';
  // One object per language, so components can list it as a dependency without redrawing every time.
  return useMemo(() => formatterFor(locale), [locale]);
}

function formatterFor(locale: string) {
  return {
    locale,
    money: (amount: number, currency: string) => formatMoney(amount, currency, locale),
    number: (value: number) => formatNumber(value, locale),
    date: (iso: string | Date, timeZone: string, style: DateStyle) => formatDate(iso, timeZone, style, locale),
    zone: (iso: string, timeZone: string) => timeZoneLabel(iso, timeZone, locale),
    localDay: (date: string) => formatLocalDate(date, locale),
    duration: (minutes: number) => {
      const hours = Math.floor(minutes / 60);
      const rest = minutes % 60;
      const h = formatNumber(hours, locale);
      const m = formatNumber(rest, locale);
      return locale.startsWith('bn') ? `${h} ঘণ্টা${rest ? ` ${m} মিনিট` : ''}` : `${h} h${rest ? ` ${m} min` : ''}`;
    },
  };
}
