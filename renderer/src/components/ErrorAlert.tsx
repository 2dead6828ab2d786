import type { ErrorInfo } from '../../../shared/errors.js';

/**
 * Every error in the window looks like this: main's message, then its fix on
 * a line of its own. role="alert" so a screen reader reads it at once.
 */
export function ErrorAlert({ error, id }: { error: Pick<ErrorInfo, 'message'> & Partial<Pick<ErrorInfo, 'fix' | 'subject'>>; id?: string }) {
  const showSubject = error.subject !== undefined && error.subject !== '' && !error.message.includes(error.subject);
  return (
    <div className="alert" role="alert" id={id}>
      <p className="alert-message">{error.message}</p>
      {error.fix !== undefined && error.fix !== '' && <p className="alert-fix">{error.fix}</p>}
      {showSubject && (
        <p className="alert-subject">
          About: <span className="path" title={error.subject}>{error.subject}</span>
        </p>
      )}
    </div>
  );
}
