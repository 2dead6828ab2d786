/**
 * How numbers read in the UI. Sizes use decimal units (1 MB = 1,000,000 bytes)
 * everywhere, like file managers on macOS and GNOME; the KDF's memory is the
 * one binary figure (MiB) because that is how Argon2 parameters are stated.
 */

const NUMBER = new Intl.NumberFormat('en-US');

export function count(n: number): string {
  return NUMBER.format(n);
}

/** "1 file", "1,204 files". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count(n)} ${n === 1 ? singular : pluralForm}`;
}

const UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** "512 bytes", "12.3 MB", "310 MB", "1.2 GB": one decimal below 100 of a unit. */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 1000) return plural(Math.max(0, Math.round(n || 0)), 'byte');
  let value = n;
  let unit: string = 'bytes';
  for (const next of UNITS) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  const text = value < 100 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value).toString();
  return `${text} ${unit}`;
}

export function rate(bytesPerSecond: number): string {
  return `${bytes(bytesPerSecond)}/s`;
}

/** "about 3 s left", "about 2 min left", "about 1 h 5 min left". */
export function eta(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `about ${s} s left`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** "0.6 s", "1 s", "1.5 s". */
export function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1).replace(/\.0$/, '')} s`;
}

const DATE = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** A stored ISO date in the user's time zone; the raw text when it does not parse. */
export function date(iso: string): string {
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? iso : DATE.format(parsed);
}
