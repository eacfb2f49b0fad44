import { useState, type FormEvent } from 'react';
import type { Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { workspaceText, type WorkspaceMessage } from './messages.ts';
import { ProblemNotice, problemOf } from './ProblemNotice.tsx';
import { workspaceApi, type Dossier } from './workspace-api.ts';
import { formatDateTime } from '../format.ts';

type Open = 'none' | 'amend' | 'refuse';

const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);

/**
 * The receipt check of Decree 45 Art. 11.2–11.4 on a dossier: receive it; ask, once and in one
 * list, for everything to supplement (Art. 11.3; the server answers a second request 409, shown
 * as it says); or refuse it with reasons.
 */
export function ReceiptActions({ dossier, language, onDone }: { dossier: Dossier; language: Language; onDone: (message: WorkspaceMessage) => void }) {
  const t = (key: WorkspaceMessage, values?: Record<string, string | number>) => workspaceText(language, key, values);
  const [open, setOpen] = useState<Open>('none');
  const [items, setItems] = useState('');
  const [note, setNote] = useState('');
  const [reasons, setReasons] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [missing, setMissing] = useState(false);
  const requestedAt = dossier.amendment?.requestedAt;

  const run = async (action: () => Promise<unknown>, done: WorkspaceMessage) => {
    setProblem(undefined);
    setBusy(true);
    try {
      await action();
      setOpen('none');
      onDone(done);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const submitAmendment = (event: FormEvent) => {
    event.preventDefault();
    const list = lines(items);
    setMissing(list.length === 0);
    if (list.length > 0) void run(() => workspaceApi.requestAmendment(language, dossier.id, list, note.trim()), 'amendmentSent');
  };

  const submitRefusal = (event: FormEvent) => {
    event.preventDefault();
    const list = lines(reasons);
    setMissing(list.length === 0);
    if (list.length > 0) void run(() => workspaceApi.refuse(language, dossier.id, list), 'refused');
  };

  const toggle = (which: Open) => {
    setMissing(false);
    setProblem(undefined);
    setOpen(open === which ? 'none' : which);
  };

  return (
    <div className="ws-receipt" data-testid="receipt-actions">
      <div className="ws-buttons">
        <button type="button" className="primary" disabled={busy} onClick={() => void run(() => workspaceApi.receive(language, dossier.id), 'received')}>
          {t('receive')}
        </button>
        <button type="button" disabled={busy || requestedAt !== undefined} aria-expanded={open === 'amend'} aria-describedby={requestedAt ? 'ws-amend-once' : undefined} onClick={() => toggle('amend')}>
          {t('requestAmendment')}
        </button>
        <button type="button" disabled={busy} aria-expanded={open === 'refuse'} onClick={() => toggle('refuse')}>
          {t('refuse')}
        </button>
      </div>
      {requestedAt ? (
        <p className="muted" id="ws-amend-once" data-testid="amendment-once">
          {t('amendmentAlready', { at: formatDateTime(requestedAt) })}
        </p>
      ) : null}
      {open === 'amend' ? (
        <form className="ws-action-form" onSubmit={submitAmendment}>
          <label className="field">
            {t('amendmentItems')}
            <textarea autoFocus rows={4} value={items} onChange={(event) => setItems(event.target.value)} aria-invalid={missing} aria-describedby={missing ? 'ws-missing' : undefined} />
          </label>
          <label className="field">
            {t('amendmentNote')}
            <textarea rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
          </label>
          <div className="ws-buttons">
            <button type="submit" className="primary" disabled={busy}>
              {t('send')}
            </button>
            <button type="button" onClick={() => setOpen('none')}>
              {t('cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {open === 'refuse' ? (
        <form className="ws-action-form" onSubmit={submitRefusal}>
          <label className="field">
            {t('refuseReasons')}
            <textarea autoFocus rows={4} value={reasons} onChange={(event) => setReasons(event.target.value)} aria-invalid={missing} aria-describedby={missing ? 'ws-missing' : undefined} />
          </label>
          <div className="ws-buttons">
            <button type="submit" className="primary" disabled={busy}>
              {t('refuse')}
            </button>
            <button type="button" onClick={() => setOpen('none')}>
              {t('cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {missing ? (
        <p className="error" id="ws-missing" role="alert">
          {t('needOneLine')}
        </p>
      ) : null}
      {problem ? <ProblemNotice problem={problem} language={language} testId="action-problem" /> : null}
    </div>
  );
}
