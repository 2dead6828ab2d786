/**
 * The window's frame (banner, Main navigation, the current screen) and which
 * screen is shown. Screens are plain state, not URLs: the app is one page
 * served from disk, and there is nothing to bookmark.
 */
import { useEffect, useState } from 'react';
import { APP_FRAME_ID } from './components/Dialog.js';
import { MessagesProvider } from './components/Messages.js';
import { OperationsProvider } from './operations.js';
import { LockerDetailsScreen } from './screens/LockerDetailsScreen.js';
import { LockersScreen } from './screens/LockersScreen.js';
import { NewLockerScreen } from './screens/NewLockerScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { useLockers } from './useLockers.js';

type Screen = { kind: 'lockers' } | { kind: 'new' } | { kind: 'details'; id: string } | { kind: 'settings' };

export function App() {
  return (
    <MessagesProvider>
      <OperationsProvider>
        <Frame />
      </OperationsProvider>
    </MessagesProvider>
  );
}

function Frame() {
  const lockersState = useLockers();
  const [screen, setScreen] = useState<Screen>({ kind: 'lockers' });
  const section = screen.kind === 'settings' ? 'settings' : 'lockers';

  const detailsId = screen.kind === 'details' ? screen.id : null;
  const detailsLocker = detailsId === null ? undefined : lockersState.lockers?.find((locker) => locker.id === detailsId);
  // A locker removed from the list (here or by another window) leaves its details screen.
  const detailsGone = detailsId !== null && lockersState.lockers !== null && detailsLocker === undefined;
  useEffect(() => {
    if (detailsGone) setScreen({ kind: 'lockers' });
  }, [detailsGone]);

  const toLockers = (): void => setScreen({ kind: 'lockers' });

  return (
    <div className="frame" id={APP_FRAME_ID}>
      <header className="banner">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Envelock
        </span>
        <nav aria-label="Main">
          <button type="button" className="nav-button" aria-current={section === 'lockers' ? 'page' : undefined} onClick={toLockers}>
            Lockers
          </button>
          <button
            type="button"
            className="nav-button"
            aria-current={section === 'settings' ? 'page' : undefined}
            onClick={() => setScreen({ kind: 'settings' })}
          >
            Settings
          </button>
        </nav>
      </header>
      <main className="content">
        <div className="screen">
          {screen.kind === 'lockers' && (
            <LockersScreen state={lockersState} onNew={() => setScreen({ kind: 'new' })} onDetails={(id) => setScreen({ kind: 'details', id })} />
          )}
          {screen.kind === 'new' && <NewLockerScreen onDone={toLockers} />}
          {screen.kind === 'settings' && <SettingsScreen />}
          {screen.kind === 'details' && detailsLocker !== undefined && (
            <LockerDetailsScreen key={detailsLocker.id} locker={detailsLocker} onLocker={lockersState.update} onBack={toLockers} />
          )}
          {screen.kind === 'details' && detailsLocker === undefined && <h1>Loading…</h1>}
        </div>
      </main>
    </div>
  );
}
