import { useEffect, useRef, useState } from 'react';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { roleName } from './access.ts';
import type { Account } from './session-api.ts';

interface AccountMenuProps {
  language: Language;
  account: Account;
  onSignOut: (everywhere: boolean) => void;
}

/**
 * Who is signed in, in the toolbar: the name and roles on a button that opens sign-out and
 * sign-out everywhere. A menu rather than three controls keeps the toolbar to one line at 1366 px.
 */
export function AccountMenu({ language, account, onSignOut }: AccountMenuProps) {
  const t = (key: MessageKey) => translate(language, key);
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const firstItemRef = useRef<HTMLButtonElement>(null);
  const roles = account.roles.map((role) => t(roleName(role))).join(', ');

  useEffect(() => {
    if (!open) return;
    firstItemRef.current?.focus();
    // A click anywhere else closes it, as menus do.
    const close = (event: MouseEvent) => rootRef.current?.contains(event.target as Node) || setOpen(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const choose = (everywhere: boolean) => {
    setOpen(false);
    onSignOut(everywhere);
  };

  return (
    <div className="account-menu" ref={rootRef} onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}>
      <button type="button" className="account-button" aria-haspopup="menu" aria-expanded={open} title={`${t('signedInAs')}: ${account.displayName} (${roles})`} data-testid="account-button" onClick={() => setOpen(!open)}>
        <span className="account-name">{account.displayName}</span>
        <span className="account-roles">{roles}</span>
      </button>
      {open ? (
        <div className="account-popup" role="menu" aria-label={account.displayName}>
          <p className="account-who">
            <strong>{account.displayName}</strong>
            <br />
            <span className="muted">
              {t('yourRoles')}: {roles}
            </span>
          </p>
          <button type="button" role="menuitem" ref={firstItemRef} onClick={() => choose(false)}>
            {t('signOut')}
          </button>
          <button type="button" role="menuitem" onClick={() => choose(true)}>
            {t('signOutEverywhere')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
