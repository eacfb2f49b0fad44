import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
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
  const buttonRef = useRef<HTMLButtonElement>(null);
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

  /** The keys of a menu (WAI-ARIA menu button): arrows move between the items, Escape closes it and gives the focus back. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!open) return;
    if (event.key === 'Escape') {
      setOpen(false);
      buttonRef.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const items = [...(rootRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
      const at = items.indexOf(document.activeElement as HTMLButtonElement);
      items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };

  const choose = (everywhere: boolean) => {
    setOpen(false);
    onSignOut(everywhere);
  };

  return (
    <div className="account-menu" ref={rootRef} onKeyDown={onKeyDown}>
      <button type="button" ref={buttonRef} className="account-button" aria-haspopup="menu" aria-expanded={open} title={`${t('signedInAs')}: ${account.displayName} (${roles})`} data-testid="account-button" onClick={() => setOpen(!open)}>
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
