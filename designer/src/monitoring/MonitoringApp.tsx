import { useEffect, useState } from 'react';
import { OfficeToolbar } from '../session/OfficeToolbar.tsx';
import { OfficeGate, type OfficeSession } from '../session/OfficeGate.tsx';
import type { Account } from '../session/session-api.ts';
import { InstanceScreen } from './InstanceScreen.tsx';
import { monitoringText, type MonitoringMessage } from './messages.ts';
import { ProcedureScreen } from './ProcedureScreen.tsx';
import { SearchScreen } from './SearchScreen.tsx';
import './monitoring.css';

export const MONITORING_PATH = '/theo-doi';

/** Where the monitoring app is: the search, one instance, or one procedure's heat map. */
export type MonitoringPlace = { screen: 'search' } | { screen: 'instance'; instanceId: string } | { screen: 'procedure'; key: string };

export function placeOf(pathname: string): MonitoringPlace {
  const [, , kind, value] = pathname.split('/');
  if (kind === 'ho-so' && value) return { screen: 'instance', instanceId: decodeURIComponent(value) };
  if (kind === 'thu-tuc' && value) return { screen: 'procedure', key: decodeURIComponent(value) };
  return { screen: 'search' };
}

export function pathOf(place: MonitoringPlace): string {
  if (place.screen === 'instance') return `${MONITORING_PATH}/ho-so/${encodeURIComponent(place.instanceId)}`;
  if (place.screen === 'procedure') return `${MONITORING_PATH}/thu-tuc/${encodeURIComponent(place.key)}`;
  return MONITORING_PATH;
}

/** Staff and administrators monitor everything; officials their agencies' dossiers (the server decides which functions). */
const monitorsHere = (account: Account) => account.roles.some((role) => role === 'staff' || role === 'admin' || role === 'official');

/**
 * Monitoring at `/theo-doi` (issue 14, docs/monitoring.md): find a dossier, see it on its diagram
 * (`/theo-doi/ho-so/<instance>`), a procedure's heat map (`/theo-doi/thu-tuc/<key>`). The browser's
 * back and forward buttons move between them.
 */
export function MonitoringApp() {
  return <OfficeGate text={monitoringText} allows={monitorsHere}>{(session) => <Monitoring session={session} />}</OfficeGate>;
}

function Monitoring({ session }: { session: OfficeSession }) {
  const { language, onLanguageChange } = session;
  const t = (key: MonitoringMessage) => monitoringText(language, key);
  const { account, signOut } = session;
  const [place, setPlace] = useState<MonitoringPlace>(() => placeOf(window.location.pathname));

  useEffect(() => {
    const back = () => setPlace(placeOf(window.location.pathname));
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
  }, []);

  const go = (next: MonitoringPlace) => {
    window.history.pushState(null, '', pathOf(next));
    setPlace(next);
  };
  const operator = account.roles.includes('staff') || account.roles.includes('admin');
  return (
    <div className="mon-page">
      <OfficeToolbar title={t('title')} displayName={account.displayName} signOutText={t('signOut')} onSignOut={() => void signOut()} language={language} onLanguageChange={onLanguageChange}>
        {place.screen === 'search' ? null : (
          <button type="button" className="link" onClick={() => go({ screen: 'search' })}>
            {t('back')}
          </button>
        )}
      </OfficeToolbar>
      <main className="mon-main">
        {place.screen === 'search' ? <SearchScreen language={language} onOpen={go} /> : null}
        {place.screen === 'instance' ? <InstanceScreen key={place.instanceId} instanceId={place.instanceId} language={language} operator={operator} onOpen={go} /> : null}
        {place.screen === 'procedure' ? <ProcedureScreen key={place.key} procedureKey={place.key} language={language} operator={operator} onOpen={go} /> : null}
      </main>
    </div>
  );
}
