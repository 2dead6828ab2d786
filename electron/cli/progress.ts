/**
 * One-line progress display for long CLI operations (seal, verify, unlock).
 * Draws only on an interactive terminal: when output is piped or redirected it
 * stays silent, so scripts and logs never receive carriage-return noise.
 */

import type { ProgressEvent } from '../../shared/progress.js';

export type { ProgressEvent };

export interface ProgressReporter {
  update(e: ProgressEvent): void;
  done(): void;
}

export type ProgressStream =
  | NodeJS.WriteStream
  | { isTTY?: boolean; columns?: number; write(s: string): boolean };

export interface ProgressOptions {
  /** Milliseconds from any fixed origin; injectable so tests control time. */
  now?: () => number;
}

const REDRAW_INTERVAL_MS = 100;
// Long enough to smooth out per-file bursts, short enough to follow a real slowdown.
const RATE_WINDOW_MS = 3000;
// Keeps the sample list tiny even when the engine reports every few KiB.
const SAMPLE_SPACING_MS = 100;
// A rate taken over less than this is dominated by the first burst and makes the ETA jump.
const MIN_RATE_SPAN_MS = 500;
const DEFAULT_COLUMNS = 80;
const MIN_BAR_WIDTH = 10;
const CLEAR_TO_EOL = '\x1b[K';
const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Binary units, one decimal: "512 B", "1.5 MiB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '-- B';
  if (n < 1024) return `${Math.round(n)} B`;
  let value = n / 1024;
  let unit = 0;
  // 1023.95 would print as "1024.0 KiB"; move up a unit instead.
  while (value >= 1023.95 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit] ?? 'PiB'}`;
}

/** "m:ss" or "h:mm:ss"; "--:--" when the duration is unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const ss = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

interface Sample {
  t: number;
  bytes: number;
}

export function createProgressReporter(stream: ProgressStream, options: ProgressOptions = {}): ProgressReporter {
  if (stream.isTTY !== true) return { update() {}, done() {} };
  const now = options.now ?? (() => performance.now());

  let phase: string | undefined;
  let lastDraw = -Infinity;
  let samples: Sample[] = [];

  return {
    update(e) {
      const t = now();
      if (e.phase !== phase) {
        // Byte counters restart per phase, so old samples would yield a negative rate.
        phase = e.phase;
        samples = [];
        lastDraw = -Infinity;
      }
      recordSample(samples, t, e.bytesDone);
      if (t - lastDraw < REDRAW_INTERVAL_MS) return;
      lastDraw = t;
      const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : DEFAULT_COLUMNS;
      stream.write(`\r${renderLine(e, rateOf(samples, t, e.bytesDone), columns)}${CLEAR_TO_EOL}`);
    },
    done() {
      phase = undefined;
      samples = [];
      lastDraw = -Infinity;
      stream.write(`\r${CLEAR_TO_EOL}`);
    },
  };
}

function recordSample(samples: Sample[], t: number, bytes: number): void {
  const last = samples[samples.length - 1];
  if (last !== undefined && bytes < last.bytes) samples.length = 0; // counter went back (retry): start over
  else if (last !== undefined && t - last.t < SAMPLE_SPACING_MS) return;
  samples.push({ t, bytes });
  // Keep one sample at or before the window start so the rate always spans the full window.
  while (samples.length > 2 && (samples[1]?.t ?? t) <= t - RATE_WINDOW_MS) samples.shift();
}

/** Bytes per second over the sliding window, or undefined while there is too little history. */
function rateOf(samples: readonly Sample[], t: number, bytes: number): number | undefined {
  const oldest = samples[0];
  if (oldest === undefined) return undefined;
  const span = t - oldest.t;
  if (span < MIN_RATE_SPAN_MS) return undefined;
  return ((bytes - oldest.bytes) / span) * 1000;
}

function renderLine(e: ProgressEvent, rate: number | undefined, columns: number): string {
  // Filling the last column leaves some terminals in a pending-wrap state, so stop one short.
  const width = columns - 1;
  const fraction = progressFraction(e);
  const percent = fraction === undefined ? ' --%' : `${Math.floor(fraction * 100)}%`.padStart(4);
  const bytes = e.bytesTotal > 0 ? `${formatBytes(e.bytesDone)}/${formatBytes(e.bytesTotal)}` : formatBytes(e.bytesDone);
  const files = e.filesTotal > 0 ? `${e.filesDone}/${e.filesTotal} files` : `${e.filesDone} files`;
  const rateText = rate === undefined ? '--/s' : `${formatBytes(rate)}/s`;
  const tail = `${percent} ${bytes} ${files} ${rateText} ETA ${formatDuration(etaSeconds(e, rate))}`;

  const barWidth = width - e.phase.length - tail.length - 4; // ' [' + '] '
  const line =
    barWidth >= MIN_BAR_WIDTH ? `${e.phase} [${bar(fraction ?? 0, barWidth)}] ${tail}` : `${e.phase} ${tail}`;
  // Truncate by code point so a narrow terminal never wraps and never splits a surrogate pair.
  return Array.from(line).slice(0, Math.max(0, width)).join('');
}

function progressFraction(e: ProgressEvent): number | undefined {
  // Bytes are the truer measure; fall back to files when the engine cannot size the job.
  if (e.bytesTotal > 0) return clamp01(e.bytesDone / e.bytesTotal);
  if (e.filesTotal > 0) return clamp01(e.filesDone / e.filesTotal);
  return undefined;
}

function etaSeconds(e: ProgressEvent, rate: number | undefined): number {
  if (e.bytesTotal <= 0) return NaN;
  const remaining = e.bytesTotal - e.bytesDone;
  if (remaining <= 0) return 0;
  if (rate === undefined || rate <= 0) return NaN;
  return remaining / rate;
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(fraction * width);
  if (filled >= width) return '='.repeat(width);
  if (filled === 0) return ' '.repeat(width);
  return `${'='.repeat(filled - 1)}>${' '.repeat(width - filled)}`;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
