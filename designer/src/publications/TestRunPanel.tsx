import { useEffect, useState } from 'react';
import { TEST_RUN_ITEM_TEXT, TEST_RUN_ITEMS, type TestOutcome, type TestRunItem } from '../../../engine/publication/service-test-run.ts';
import type { Problem } from '../api-client.ts';
import { formatDateTime } from '../format.ts';
import type { Language } from '../i18n.ts';
import { statusWords } from '../portal/messages.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import { publicationsText, type PublicationsMessage } from './messages.ts';
import { publicationsApi, type Evidence, type Publication } from './publications-api.ts';

const OUTCOMES: Array<[TestOutcome, PublicationsMessage]> = [
  ['passed', 'passed'],
  ['failed', 'failed'],
  ['not-applicable', 'notApplicable'],
];

const blankItems = () => Object.fromEntries(TEST_RUN_ITEMS.map((item) => [item, 'passed'])) as Record<TestRunItem, TestOutcome>;

/**
 * One published service: its period, and either the checklist of Art. 20.2 a–đ to record (with
 * the tested dossier and service codes), the recorded test beside what the tested dossier shows,
 * or the stop of Art. 20.3 with the way to publish again.
 */
export function TestRunPanel({ serviceKey, language, onChanged }: { serviceKey: string; language: Language; onChanged: (publication: Publication) => void }) {
  const t = (key: PublicationsMessage, values?: Record<string, string | number>) => publicationsText(language, key, values);
  const [publication, setPublication] = useState<(Publication & { evidence: Evidence | null }) | undefined>();
  const [items, setItems] = useState(blankItems);
  const [dossierCode, setDossierCode] = useState('');
  const [serviceCode, setServiceCode] = useState('');
  const [notes, setNotes] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setPublication(undefined);
    setProblem(undefined);
    setDone(undefined);
    setItems(blankItems());
    publicationsApi.one(language, serviceKey).then(setPublication, (failure: unknown) => setProblem(problemOf(failure)));
    // The language only rewords: the record is the same.
  }, [serviceKey]);

  const invalid = (field: string) => problem?.errors.some((error) => error.field === field) ?? false;

  async function act(action: () => Promise<Publication & { evidence?: Evidence | null }>, message: (answer: Publication) => string) {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      const answer = await action();
      setPublication({ ...answer, evidence: answer.evidence ?? null });
      setDone(message(answer));
      onChanged(answer);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  }

  if (!publication) return problem ? <ProblemNotice problem={problem} language={language} /> : <p className="muted">{t('loading')}</p>;
  return (
    <section className="pub-detail" aria-labelledby="pub-detail-title" data-testid="test-run-panel">
      <h2 id="pub-detail-title">{publication.procedureName}</h2>
      <p className="muted">
        {publication.procedureCode} · {t('publishedAt')} {formatDateTime(publication.publishedAt)} ({publication.publishedBy === 'deployment' ? t('byDeployment') : publication.publishedBy.replace(/^account:/, '')}) · {t('dueAt')} <strong>{formatDateTime(publication.dueAt)}</strong>
      </p>
      {done ? <p className="pub-done" role="status">{done}</p> : null}
      {problem ? <ProblemNotice problem={problem} language={language} testId="test-run-problem" /> : null}
      {publication.status === 'stopped' ? (
        <div className="pub-stopped" data-testid="stopped-note">
          <p>{t('stoppedNote', { due: formatDateTime(publication.dueAt) })}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void act(() => publicationsApi.republish(language, publication.key), (answer) => t('republished', { due: formatDateTime(answer.dueAt) }))}>
            {t('republish')}
          </button>
        </div>
      ) : null}
      {publication.status === 'tested' && publication.record ? <RecordedTest publication={publication} language={language} /> : null}
      {publication.status === 'testing' ? (
        <form
          className="pub-form"
          onSubmit={(event) => {
            event.preventDefault();
            void act(() => publicationsApi.record(language, publication.key, { dossierCode: dossierCode.trim(), serviceCode: serviceCode.trim(), items, ...(notes.trim() ? { notes: notes.trim() } : {}) }), () => t('recorded'));
          }}
        >
          <fieldset>
            <legend>{t('checklist')}</legend>
            {TEST_RUN_ITEMS.map((item) => (
              <div key={item} className={invalid(`body.items.${item}`) ? 'pub-item pub-invalid' : 'pub-item'} role="radiogroup" aria-labelledby={`item-${item}`}>
                <span id={`item-${item}`} className="pub-item-name">
                  {TEST_RUN_ITEM_TEXT[item].point}) {TEST_RUN_ITEM_TEXT[item][language]}
                </span>
                {OUTCOMES.map(([outcome, label]) => (
                  <label key={outcome}>
                    <input type="radio" name={`item-${item}`} value={outcome} checked={items[item] === outcome} onChange={() => setItems((current) => ({ ...current, [item]: outcome }))} /> {t(label)}
                  </label>
                ))}
              </div>
            ))}
          </fieldset>
          <label>
            {t('dossierCode')}
            <input value={dossierCode} onChange={(event) => setDossierCode(event.target.value)} required aria-invalid={invalid('body.dossierCode')} data-testid="dossier-code" />
          </label>
          <label>
            {t('serviceCode')}
            <input value={serviceCode} onChange={(event) => setServiceCode(event.target.value)} required placeholder="1.001193.000.00.00.H12" aria-invalid={invalid('body.serviceCode')} data-testid="service-code" />
          </label>
          <label>
            {t('notes')}
            <textarea value={notes} onChange={(event) => setNotes(event.target.value)} rows={3} maxLength={2000} />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {t('record')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function RecordedTest({ publication, language }: { publication: Publication & { evidence: Evidence | null }; language: Language }) {
  const t = (key: PublicationsMessage, values?: Record<string, string | number>) => publicationsText(language, key, values);
  const record = publication.record!;
  const evidence = publication.evidence;
  return (
    <div data-testid="recorded-test">
      <p>{t('testedBy', { by: (publication.testedBy ?? '').replace(/^account:/, ''), at: formatDateTime(publication.testedAt!) })}</p>
      <table className="pub-table">
        <tbody>
          {TEST_RUN_ITEMS.map((item) => (
            <tr key={item}>
              <td>
                {TEST_RUN_ITEM_TEXT[item].point}) {TEST_RUN_ITEM_TEXT[item][language]}
              </td>
              <td className={`pub-outcome pub-${record.items[item]}`}>{t(OUTCOMES.find(([outcome]) => outcome === record.items[item])![1])}</td>
            </tr>
          ))}
          <tr>
            <td>{t('dossierCode')}</td>
            <td className="pub-code">{record.dossierCode}</td>
          </tr>
          <tr>
            <td>{t('serviceCode')}</td>
            <td className="pub-code">{record.serviceCode}</td>
          </tr>
        </tbody>
      </table>
      {record.notes ? <p className="pub-notes">{record.notes}</p> : null}
      {evidence ? (
        <div className="pub-evidence" data-testid="evidence">
          <h3>{t('evidence')}</h3>
          <ul>
            <li>{t('submittedAt', { at: formatDateTime(evidence.submittedAt), status: statusWords(language, evidence.status) })}</li>
            <li>{evidence.paidOnline ? t('paidOnline') : t('notPaidOnline')}</li>
            <li>{evidence.signedResultCodes.length > 0 ? t('signedResults', { codes: evidence.signedResultCodes.join(', ') }) : t('noSignedResult')}</li>
          </ul>
        </div>
      ) : null}
    </div>
  );
}
