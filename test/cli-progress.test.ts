import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatBytes, formatDuration } from '../electron/cli/progress.js';
import type { ProgressEvent } from '../electron/cli/progress.js';

const MiB = 1024 * 1024;

function fakeStream(isTTY: boolean | undefined, columns?: number) {
  const writes: string[] = [];
  const stream: { isTTY?: boolean; columns?: number; write(s: string): boolean } = {
    write(s: string) {
      writes.push(s);
      return true;
    },
  };
  if (isTTY !== undefined) stream.isTTY = isTTY;
  if (columns !== undefined) stream.columns = columns;
  return { stream, writes };
}

function fakeClock() {
  let t = 0;
  return { now: () => t, set: (ms: number) => void (t = ms) };
}

/** The visible text of a redraw: between the leading \r and the trailing clear-to-EOL. */
function visible(write: string | undefined): string {
  expect(write).toBeDefined();
  expect(write?.startsWith('\r')).toBe(true);
  expect(write?.endsWith('\x1b[K')).toBe(true);
  return (write ?? '').slice(1, -3);
}

function event(partial: Partial<ProgressEvent> = {}): ProgressEvent {
  return { phase: 'Sealing', bytesDone: 0, bytesTotal: 100 * MiB, filesDone: 0, filesTotal: 10, ...partial };
}

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * MiB)).toBe('5.0 MiB');
    expect(formatBytes(3 * 1024 * MiB)).toBe('3.0 GiB');
  });
  it('never prints 1024.0 of a unit', () => {
    expect(formatBytes(MiB - 1)).toBe('1.0 MiB');
  });
});

describe('formatDuration', () => {
  it('prints m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3600 + 2 * 60 + 3)).toBe('1:02:03');
  });
  it('prints --:-- when unknown', () => {
    expect(formatDuration(NaN)).toBe('--:--');
    expect(formatDuration(Infinity)).toBe('--:--');
    expect(formatDuration(-1)).toBe('--:--');
  });
});

describe('createProgressReporter', () => {
  it('writes nothing at all when the stream is not a TTY', () => {
    for (const isTTY of [false, undefined]) {
      const { stream, writes } = fakeStream(isTTY);
      const clock = fakeClock();
      const reporter = createProgressReporter(stream, { now: clock.now });
      for (let i = 0; i <= 20; i++) {
        clock.set(i * 500);
        reporter.update(event({ bytesDone: i * MiB, phase: i < 10 ? 'Sealing' : 'Verifying' }));
      }
      reporter.done();
      expect(writes).toEqual([]);
    }
  });

  it('redraws at most every 100 ms, but always on a phase change and on done', () => {
    const { stream, writes } = fakeStream(true);
    const clock = fakeClock();
    const reporter = createProgressReporter(stream, { now: clock.now });

    clock.set(1000);
    reporter.update(event({ bytesDone: 1 }));
    expect(writes).toHaveLength(1);
    clock.set(1050);
    reporter.update(event({ bytesDone: 2 }));
    clock.set(1099);
    reporter.update(event({ bytesDone: 3 }));
    expect(writes).toHaveLength(1);
    clock.set(1100);
    reporter.update(event({ bytesDone: 4 }));
    expect(writes).toHaveLength(2);

    clock.set(1110);
    reporter.update(event({ phase: 'Verifying' }));
    expect(writes).toHaveLength(3);
    expect(visible(writes[2]).startsWith('Verifying ')).toBe(true);

    clock.set(1120);
    reporter.done();
    expect(writes).toHaveLength(4);
    expect(writes[3]).toBe('\r\x1b[K');
  });

  it('fits the line in the terminal width and never wraps', () => {
    for (const columns of [undefined, 20, 40, 60, 80, 132, 300]) {
      const { stream, writes } = fakeStream(true, columns);
      const reporter = createProgressReporter(stream, { now: () => 0 });
      reporter.update(event({ bytesDone: 37 * MiB, filesDone: 4 }));
      reporter.update(event({ phase: 'Removing plaintext from a very long folder name indeed', filesDone: 5 }));
      const width = (columns ?? 80) - 1;
      for (const w of writes) expect(visible(w).length).toBeLessThanOrEqual(width);
      if ((columns ?? 80) >= 80) {
        // Wide enough for a bar: it fills the spare width exactly.
        const line = visible(writes[0]);
        expect(line).toMatch(/^Sealing \[=+> +\] /);
        expect(line.length).toBe(width);
        expect(line).toMatch(/ETA --:--$/);
      }
    }
  });

  it('draws a full bar and a zero ETA at 100%, keeping the whole line', () => {
    const { stream, writes } = fakeStream(true, 80);
    const reporter = createProgressReporter(stream, { now: () => 0 });
    reporter.update(event({ bytesDone: 100 * MiB, filesDone: 10 }));
    const line = visible(writes[0]);
    expect(line).toMatch(/^Sealing \[=+\] 100% 100\.0 MiB\/100\.0 MiB 10\/10 files --\/s ETA 0:00$/);
    expect(line.length).toBe(79);
  });

  it('shows phase, percent, bytes and files', () => {
    const { stream, writes } = fakeStream(true, 100);
    const reporter = createProgressReporter(stream, { now: () => 0 });
    reporter.update(event({ bytesDone: 25 * MiB, filesDone: 3 }));
    const line = visible(writes[0]);
    expect(line).toContain('Sealing');
    expect(line).toContain(' 25% ');
    expect(line).toContain('25.0 MiB/100.0 MiB');
    expect(line).toContain('3/10 files');
    // No history yet: neither rate nor ETA can be known.
    expect(line).toContain('--/s');
    expect(line).toContain('ETA --:--');
  });

  it('reports a plausible rate and ETA for a steady feed', () => {
    const { stream, writes } = fakeStream(true, 120);
    const clock = fakeClock();
    const reporter = createProgressReporter(stream, { now: clock.now });
    // 10 MiB/s towards 100 MiB, one event every 20 ms for 5 s.
    for (let t = 0; t <= 5000; t += 20) {
      clock.set(t);
      reporter.update(event({ bytesDone: (t / 1000) * 10 * MiB }));
    }
    const line = visible(writes[writes.length - 1]);
    expect(line).toContain(' 50% ');
    expect(line).toContain('10.0 MiB/s');
    expect(line).toContain('ETA 0:05');
  });

  it('smooths the rate over recent samples only', () => {
    const { stream, writes } = fakeStream(true, 120);
    const clock = fakeClock();
    const reporter = createProgressReporter(stream, { now: clock.now });
    // A 1 s burst at 100 MiB/s, then 10 s at 1 MiB/s: the burst must have left the window.
    let bytes = 0;
    for (let t = 0; t <= 11000; t += 50) {
      clock.set(t);
      bytes = t <= 1000 ? (t / 1000) * 100 * MiB : 100 * MiB + ((t - 1000) / 1000) * MiB;
      reporter.update(event({ bytesDone: bytes, bytesTotal: 200 * MiB }));
    }
    const line = visible(writes[writes.length - 1]);
    expect(line).toContain('1.0 MiB/s');
    // 90 MiB left at 1 MiB/s.
    expect(line).toContain('ETA 1:30');
  });

  it('prints --:-- as ETA when the total is unknown, and falls back to files for the percent', () => {
    const { stream, writes } = fakeStream(true, 120);
    const clock = fakeClock();
    const reporter = createProgressReporter(stream, { now: clock.now });
    for (let t = 0; t <= 3000; t += 100) {
      clock.set(t);
      reporter.update(event({ bytesDone: t * 1024, bytesTotal: 0, filesDone: 5, filesTotal: 20 }));
    }
    const line = visible(writes[writes.length - 1]);
    expect(line).toContain('ETA --:--');
    expect(line).toContain(' 25% ');
    expect(line).toContain('1000.0 KiB/s');
  });

  it('restarts the rate on a phase change: the new phase counts different bytes', () => {
    // Lower (counter restarts) and higher (another counter) both must not mix with the old phase.
    for (const nextBytes of [0, 400 * MiB]) {
      const { stream, writes } = fakeStream(true, 120);
      const clock = fakeClock();
      const reporter = createProgressReporter(stream, { now: clock.now });
      for (let t = 0; t <= 3000; t += 100) {
        clock.set(t);
        reporter.update(event({ bytesDone: (t / 1000) * MiB, bytesTotal: 1000 * MiB }));
      }
      clock.set(3100);
      reporter.update(event({ phase: 'Verifying', bytesDone: nextBytes, bytesTotal: 1000 * MiB }));
      const line = visible(writes[writes.length - 1]);
      expect(line).toContain('--/s');
      expect(line).toContain('ETA --:--');
    }
  });
});
