/** The result of Verify: a summary line, each problem (message, fix, object), and harmless leftovers. */
import type { VerifyReport } from '../../../../shared/lockers.js';
import { bytes, count, plural } from '../../format.js';
import type { Health } from '../../operations.js';

function summary(report: VerifyReport): string {
  const { packs, indexes, manifests, chunks } = report.counts;
  const objects = packs + indexes + manifests;
  if (report.ok && objects === 0) return 'The store holds no snapshot yet: nothing to check. The first lock or Save snapshot writes one.';
  if (report.ok && objects === 1) return `The 1 object authenticates. ${plural(manifests, 'snapshot')}, ${plural(chunks, 'chunk')}, ${bytes(report.counts.bytes)}.`;
  if (report.ok) {
    return `All ${count(objects)} objects authenticate. ${plural(manifests, 'snapshot')}, ${plural(chunks, 'chunk')}, ${bytes(report.counts.bytes)}.`;
  }
  return `${plural(report.problems.length, 'problem')} found`;
}

export function VerifyReportView({ health }: { health: Health }) {
  return (
    <section className="card" aria-labelledby="verify-report-title">
      <h2 id="verify-report-title">Verify report</h2>
      {'failed' in health ? (
        // The error itself is shown once, as the locker's alert above; here only what it means for health.
        <p className="summary summary-bad">Problems found: verify stopped at a damaged object ({health.failed.code}).</p>
      ) : (
        <>
          <p className={health.report.ok ? 'summary summary-ok' : 'summary summary-bad'}>{summary(health.report)}</p>
          {health.report.problems.length > 0 && (
            <ul className="problems" aria-label="Problems">
              {health.report.problems.map((problem, index) => (
                // Problems have no id; the same object can appear twice with different messages.
                <li key={`${problem.subject ?? ''}:${index}`} className="problem">
                  <p className="problem-message">{problem.message}</p>
                  <p className="problem-fix">{problem.fix}</p>
                  {problem.subject !== undefined && (
                    <p className="problem-subject">
                      Object: <span className="path" title={problem.subject}>{problem.subject}</span>
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
          {health.report.unreferenced.length > 0 && (
            <div className="leftovers">
              <p>
                {plural(health.report.unreferenced.length, 'object')} in the store {health.report.unreferenced.length === 1 ? 'is' : 'are'}{' '}
                not used by any snapshot: {health.report.unreferenced.length === 1 ? 'a harmless leftover' : 'harmless leftovers'} of an
                interrupted snapshot, taking only disk space.
              </p>
              <ul className="leftover-list">
                {health.report.unreferenced.map((name) => (
                  <li key={name}>
                    <span className="path" title={name}>
                      {name}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
