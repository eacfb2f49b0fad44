import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ProblemError, onSessionExpired } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import { AccountMenu } from '../session/AccountMenu.tsx';
import { SessionExpiredDialog } from '../session/SessionExpiredDialog.tsx';
import { SignInForm } from '../session/SignInForm.tsx';
import { sessionApi, type Account } from '../session/session-api.ts';
import { DataStore } from './DataStore.tsx';
import { Inbox } from './Inbox.tsx';
import { portalText, type PortalMessageKey } from './messages.ts';
import { MyDossiers } from './MyDossiers.tsx';
import { portalApi } from './portal-api.ts';
import { RegisterForm } from './RegisterForm.tsx';
import { SubmitTab } from './SubmitTab.tsx';
import './portal.css';

type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; account: Account };
type Tab = 'submit' | 'mine' | 'store' | 'inbox';
const TABS: Array<{ id: Tab; label: PortalMessageKey }> = [
  { id: 'submit', label: 'tabSubmit' },
  { id: 'mine', label: 'tabMine' },
  { id: 'store', label: 'tabStore' },
  { id: 'inbox', label: 'tabInbox' },
];

/** The portal's bar: the product, the page, the language and who is signed in. */
function PortalBar({ language, onLanguageChange, children }: { language: Language; onLanguageChange: (language: Language) => void; children?: ReactNode }) {
  return (
    <header className="toolbar">
      <strong className="brand">Quy Trình</strong>
      <span className="subtitle">{portalText(language, 'portalTitle')}</span>
      <span className="spacer" />
      <LanguageSwitch language={language} onChange={onLanguageChange} />
      {children}
    </header>
  );
}

/**
 * The citizen portal, /cong-dich-vu (issue 11, docs/dossiers.md "Screens"): sign in or register,
 * then submit an application, follow one's dossiers and answer an amendment request, and read the
 * agencies' notices. Vietnamese first; every control is reachable by keyboard.
 */
export function PortalApp() {
  const [language, setLanguage] = useState<Language>('vi');
  const t = (key: PortalMessageKey, values?: Record<string, string | number>) => portalText(language, key, values);
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [expired, setExpired] = useState(false);
  const [registering, setRegistering] = useState(false);
  const [registeredAs, setRegisteredAs] = useState<string | undefined>();
  // `?ho-so=<id>`: a link to one dossier (the payment provider's return address, docs/payments.md).
  const linkedDossier = new URLSearchParams(window.location.search).get('ho-so') ?? undefined;
  const [tab, setTab] = useState<Tab>(linkedDossier ? 'mine' : 'submit');
  const [openDossier, setOpenDossier] = useState<string | undefined>(linkedDossier);
  const [unread, setUnread] = useState<number | undefined>();
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ submit: null, mine: null, store: null, inbox: null });

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${portalText(language, 'portalTitle')} – Quy Trình`;
  }, [language]);

  useEffect(() => {
    sessionApi.current(language).then(
      (answer) => setSession(answer.signedIn ? { status: 'signed-in', account: answer.account } : { status: 'signed-out' }),
      () => setSession({ status: 'signed-out' }),
    );
  }, []);
  useEffect(() => onSessionExpired(() => setExpired(true)), []);

  // The unread count on the "Thông báo" tab from the start, not only once the inbox was opened.
  const citizen = session.status === 'signed-in' && session.account.roles.includes('citizen');
  useEffect(() => {
    if (citizen) portalApi.notices(language).then((page) => setUnread(page.items.filter((notice) => !notice.readAt).length), () => undefined);
  }, [citizen]);

  const signedIn = useCallback((account: Account) => {
    setExpired(false);
    setSession({ status: 'signed-in', account });
  }, []);

  const signOut = async (everywhere: boolean) => {
    try {
      if (everywhere) await sessionApi.signOutEverywhere(language);
      else await sessionApi.signOut(language);
    } catch (error) {
      // Already ended (401): signed out all the same.
      if (!(error instanceof ProblemError && error.status === 401)) throw error;
    }
    setSession({ status: 'signed-out' });
    setTab('submit');
    setOpenDossier(undefined);
  };

  const showDossier = (id: string) => {
    setOpenDossier(id);
    setTab('mine');
  };

  /** The keys of a tab list (WAI-ARIA tabs): the arrows, Home and End move between the tabs. */
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.findIndex((item) => item.id === tab);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1 + TABS.length, Home: 0, End: TABS.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = TABS[to % TABS.length]!.id;
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  if (session.status === 'loading') return <p className="session-loading muted">{t('loading')}</p>;

  if (session.status === 'signed-out') {
    return (
      <div className="session-page portal-page">
        <PortalBar language={language} onLanguageChange={setLanguage} />
        <main className="session-main portal-signed-out">
          <section className="session-card" aria-labelledby="portal-card-title">
            <h1 id="portal-card-title">{registering ? t('registerTitle') : t('signInTitle')}</h1>
            {registering ? (
              <>
                <RegisterForm
                  language={language}
                  onRegistered={(username) => {
                    setRegisteredAs(username);
                    setRegistering(false);
                  }}
                />
                <p className="portal-switch">
                  <button type="button" className="link" onClick={() => setRegistering(false)}>
                    {t('backToSignIn')}
                  </button>
                </p>
              </>
            ) : (
              <>
                <p className="muted">{t('signInIntro')}</p>
                {registeredAs ? (
                  <p className="session-notice" role="status">
                    {t('registered')} ({registeredAs})
                  </p>
                ) : null}
                <SignInForm language={language} onSignedIn={signedIn} />
                <p className="portal-switch">
                  {t('noAccount')}{' '}
                  <button type="button" className="link" onClick={() => setRegistering(true)}>
                    {t('registerLink')}
                  </button>
                </p>
              </>
            )}
            <p className="portal-switch">
              <a href="/tra-cuu">{t('lookupLink')}</a>
            </p>
          </section>
        </main>
      </div>
    );
  }

  const { account } = session;
  if (!account.roles.includes('citizen')) {
    return (
      <div className="session-page portal-page">
        <PortalBar language={language} onLanguageChange={setLanguage}>
          <AccountMenu language={language} account={account} onSignOut={(everywhere) => void signOut(everywhere)} />
        </PortalBar>
        <main className="session-main">
          <section className="session-card">
            <h1>{t('notCitizenTitle')}</h1>
            <p data-testid="not-citizen">{t('notCitizenText')}</p>
          </section>
        </main>
      </div>
    );
  }

  return (
    <>
      <div className="session-page portal-page" inert={expired}>
        <PortalBar language={language} onLanguageChange={setLanguage}>
          <AccountMenu language={language} account={account} onSignOut={(everywhere) => void signOut(everywhere)} />
        </PortalBar>
        <main className="portal-main">
          <div className="portal-tabs" role="tablist" aria-label={t('sections')} onKeyDown={onTabKey}>
            {TABS.map((item) => (
              <button
                key={item.id}
                ref={(element) => {
                  tabRefs.current[item.id] = element;
                }}
                type="button"
                role="tab"
                id={`portal-tab-${item.id}`}
                aria-selected={tab === item.id}
                aria-controls={`portal-panel-${item.id}`}
                tabIndex={tab === item.id ? 0 : -1}
                onClick={() => {
                  setTab(item.id);
                  if (item.id === 'mine') setOpenDossier(undefined);
                }}
              >
                {t(item.label)}
                {item.id === 'inbox' && unread ? <span className="portal-badge">{t('unreadCount', { n: unread })}</span> : null}
              </button>
            ))}
          </div>
          {/* Each panel stays mounted while another is shown: a half-filled form is not lost by looking at one's dossiers. */}
          <section className="portal-panel" role="tabpanel" id="portal-panel-submit" aria-labelledby="portal-tab-submit" hidden={tab !== 'submit'}>
            <SubmitTab language={language} onOpenDossier={showDossier} />
          </section>
          <section className="portal-panel" role="tabpanel" id="portal-panel-mine" aria-labelledby="portal-tab-mine" hidden={tab !== 'mine'}>
            {tab === 'mine' ? <MyDossiers language={language} openId={openDossier} onOpen={setOpenDossier} /> : null}
          </section>
          <section className="portal-panel" role="tabpanel" id="portal-panel-store" aria-labelledby="portal-tab-store" hidden={tab !== 'store'}>
            {tab === 'store' ? <DataStore language={language} onOpenDossier={showDossier} /> : null}
          </section>
          <section className="portal-panel" role="tabpanel" id="portal-panel-inbox" aria-labelledby="portal-tab-inbox" hidden={tab !== 'inbox'}>
            {tab === 'inbox' ? <Inbox language={language} onOpenDossier={showDossier} onUnreadChange={setUnread} /> : null}
          </section>
        </main>
      </div>
      {expired ? <SessionExpiredDialog language={language} onLanguageChange={setLanguage} onSignedIn={signedIn} text={t('sessionExpiredText')} /> : null}
    </>
  );
}
