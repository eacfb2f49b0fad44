import { useRef, useState, type FormEvent } from 'react';
import { ProblemError } from '../api-client.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { sessionApi, type Account } from './session-api.ts';

interface SignInFormProps {
  language: Language;
  onSignedIn: (account: Account) => void;
}

/**
 * Username and password, as POST /api/session takes them. A refusal is shown in the server's own
 * words, both kept so a language switch rewords it: wrong credentials (401), too many attempts
 * with the minutes to wait (429, OWASP ASVS 2.2.1). The password is cleared and focused again.
 */
export function SignInForm({ language, onSignedIn }: SignInFormProps) {
  const t = (key: MessageKey) => translate(language, key);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ vi: string; en: string } | undefined>();
  const passwordRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const session = await sessionApi.signIn(username.trim(), password, language);
      if (session.signedIn) onSignedIn(session.account);
    } catch (failure) {
      const text = failure instanceof Error ? failure.message : String(failure);
      setError(failure instanceof ProblemError ? failure.problem.messages : { vi: text, en: text });
      setPassword('');
      passwordRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const described = error ? { 'aria-invalid': true, 'aria-describedby': 'sign-in-error' } : {};
  return (
    <form className="sign-in-form" onSubmit={(event) => void submit(event)}>
      <label className="field">
        {t('username')}
        <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required autoFocus value={username} onChange={(event) => setUsername(event.target.value)} {...described} />
      </label>
      <label className="field">
        {t('password')}
        <input ref={passwordRef} name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} {...described} />
      </label>
      {error ? (
        <p className="error sign-in-error" id="sign-in-error" role="alert" data-testid="sign-in-error">
          {error[language]}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('signingIn') : t('signIn')}
      </button>
    </form>
  );
}
