import { useState, type FormEvent, type ReactNode } from 'react';
import type { Language } from '../i18n.ts';
import { portalText, type PortalMessageKey } from './messages.ts';
import { portalApi } from './portal-api.ts';
import { refusalOf, type Refusal } from './refusal.ts';

type HolderKind = 'person' | 'organisation';

/**
 * Self-registration of a citizen or organisation account (POST /api/accounts/register; Decree 45
 * Art. 7.2: applications come from registered accounts, a self-registered one is level 1, Art. 8).
 * The username is the ID number given. The server's refusal names the field it is about.
 */
export function RegisterForm({ language, onRegistered }: { language: Language; onRegistered: (username: string) => void }) {
  const t = (key: PortalMessageKey) => portalText(language, key);
  const [holderKind, setHolderKind] = useState<HolderKind>('person');
  const [holderId, setHolderId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    try {
      await portalApi.register(language, { holderKind, holderId: holderId.trim(), displayName: displayName.trim(), password, ...(email.trim() ? { email: email.trim() } : {}) });
      onRegistered(holderId.trim());
    } catch (error) {
      setRefusal(refusalOf(error));
    } finally {
      setBusy(false);
    }
  };

  /** The server's word on one field of the body (`body.holderId`…), shown under it. */
  const fieldError = (name: string) => refusal?.body[name]?.[language];
  const field = (name: string, label: string, input: ReactNode) => {
    const message = fieldError(name);
    return (
      <label className="field">
        {label}
        {input}
        {message ? (
          <span className="error portal-field-error" id={`register-${name}-error`}>
            {message}
          </span>
        ) : null}
      </label>
    );
  };
  const invalid = (name: string) => (refusal?.body[name] ? { 'aria-invalid': true, ...(fieldError(name) ? { 'aria-describedby': `register-${name}-error` } : {}) } : {});

  return (
    <form className="sign-in-form" onSubmit={(event) => void submit(event)}>
      <fieldset className="portal-holder-kind">
        <legend>{t('holderKind')}</legend>
        {(['person', 'organisation'] as const).map((kind) => (
          <label key={kind}>
            <input type="radio" name="holderKind" value={kind} checked={holderKind === kind} onChange={() => setHolderKind(kind)} /> {t(kind === 'person' ? 'holderPerson' : 'holderOrganisation')}
          </label>
        ))}
      </fieldset>
      {field('holderId', t(holderKind === 'person' ? 'personalId' : 'organisationId'), <input name="holderId" inputMode="numeric" autoComplete="username" required value={holderId} onChange={(event) => setHolderId(event.target.value)} {...invalid('holderId')} />)}
      {field('displayName', t('displayName'), <input name="displayName" autoComplete="name" required value={displayName} onChange={(event) => setDisplayName(event.target.value)} {...invalid('displayName')} />)}
      {field('email', t('email'), <input name="email" type="email" autoComplete="email" value={email} onChange={(event) => setEmail(event.target.value)} {...invalid('email')} />)}
      {field('password', t('newPassword'), <input name="password" type="password" autoComplete="new-password" required minLength={10} value={password} onChange={(event) => setPassword(event.target.value)} {...invalid('password')} />)}
      {refusal ? (
        <p className="error sign-in-error" role="alert">
          {refusal.messages[language]}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('registering') : t('register')}
      </button>
    </form>
  );
}
