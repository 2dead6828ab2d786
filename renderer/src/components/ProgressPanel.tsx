/**
 * Shows a running operation's progress: a <progress> named "Progress", the
 * phase, and "120 MB of 300 MB · 42 of 100 files · 85 MB/s · about 3 s left".
 * Main sends an event at most every 100 ms and on each phase change; the rate
 * is computed here from successive events and smoothed, so it does not jump.
 * While main says the operation can stop without losing anything (the
 * event's `cancellable`), a Stop button asks it to.
 */
import { useId, useRef, useState } from 'react';
import type { ProgressEvent } from '../../../shared/progress.js';
import { call, useEvent } from '../api.js';
import { Button } from './Button.js';
import { bytes, count, eta, rate } from '../format.js';

export interface ProgressPanelProps {
  /** The region's name, e.g. "Locking Projects". */
  title: string;
  /** Events of this locker only ('' for create, which has no id yet). */
  lockerId: string;
  /** Events of this operation only (main's names: 'lock', 'unlock', 'create' …); omit for any. */
  operation?: string;
  /** Moves or removes files: while the current step cannot stop safely, the panel says so. */
  uninterruptible?: boolean;
}

interface Sample {
  phase: string;
  at: number;
  bytesDone: number;
}

/** Weight of the newest measurement in the smoothed rate. */
const SMOOTHING = 0.3;
/** Below this the rate is too noisy to show. */
const MIN_SAMPLE_MS = 250;

export function ProgressPanel({ title, lockerId, operation, uninterruptible = false }: ProgressPanelProps) {
  const titleId = useId();
  const [event, setEvent] = useState<ProgressEvent | null>(null);
  const [speed, setSpeed] = useState<number | null>(null);
  const [stopping, setStopping] = useState(false);
  const last = useRef<Sample | null>(null);

  useEvent('progress', (payload) => {
    if (payload.lockerId !== lockerId) return;
    if (operation !== undefined && payload.operation !== operation) return;
    const progress = payload.progress;
    const now = performance.now();
    const previous = last.current;
    if (previous === null || previous.phase !== progress.phase) {
      // A new phase counts bytes afresh: start measuring again.
      last.current = { phase: progress.phase, at: now, bytesDone: progress.bytesDone };
      setSpeed(null);
    } else if (now - previous.at >= MIN_SAMPLE_MS) {
      const measured = ((progress.bytesDone - previous.bytesDone) * 1000) / (now - previous.at);
      if (measured >= 0) setSpeed((old) => (old === null ? measured : old * (1 - SMOOTHING) + measured * SMOOTHING));
      last.current = { phase: progress.phase, at: now, bytesDone: progress.bytesDone };
    }
    setEvent(progress);
  });

  const parts: string[] = [];
  if (event !== null) {
    if (event.bytesTotal > 0) parts.push(`${bytes(event.bytesDone)} of ${bytes(event.bytesTotal)}`);
    else if (event.bytesDone > 0) parts.push(bytes(event.bytesDone));
    if (event.filesTotal > 0) parts.push(`${count(event.filesDone)} of ${count(event.filesTotal)} files`);
    else if (event.filesDone > 0) parts.push(`${count(event.filesDone)} files`);
    if (speed !== null && speed > 0) {
      parts.push(rate(speed));
      if (event.bytesTotal > event.bytesDone) parts.push(eta((event.bytesTotal - event.bytesDone) / speed));
    }
  }
  const determinate = event !== null && event.bytesTotal > 0;
  const cancellable = event?.cancellable === true;

  async function stop(): Promise<void> {
    setStopping(true);
    try {
      await call('cancelOperation', { id: lockerId });
    } catch {
      setStopping(false); // main did not take it: offer the button again
    }
  }

  return (
    <section className="progress-panel" aria-labelledby={titleId}>
      <p className="progress-title" id={titleId}>
        {title}
      </p>
      <p className="progress-phase">{event === null ? 'Starting…' : event.phase}</p>
      {determinate ? (
        <progress aria-label="Progress" max={event.bytesTotal} value={Math.min(event.bytesDone, event.bytesTotal)} />
      ) : (
        <progress aria-label="Progress" />
      )}
      {parts.length > 0 && <p className="progress-line">{parts.join(' · ')}</p>}
      {cancellable && (
        <div className="progress-actions">
          <Button onClick={() => void stop()} busy={stopping}>
            Stop
          </Button>
          <span className="hint">{stopping ? 'Stopping where nothing is lost…' : 'Stops safely: nothing is lost.'}</span>
        </div>
      )}
      {uninterruptible && event !== null && !cancellable && (
        <p className="hint">This step cannot be interrupted safely: keep Envelock open until it finishes.</p>
      )}
    </section>
  );
}
