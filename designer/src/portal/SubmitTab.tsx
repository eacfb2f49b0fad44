import { useEffect, useState } from 'react';
import type { Language } from '../i18n.ts';
import { DossierFiller } from './DossierFiller.tsx';
import { portalText, type PortalMessageKey } from './messages.ts';
import { portalApi, portalLinks, type PortalProcedure, type ProcedureForm, type Receipt } from './portal-api.ts';
import { refusalOf, type Refusal } from './refusal.ts';
import { formatDateTime } from '../format.ts';

interface SubmitTabProps {
  language: Language;
  onOpenDossier: (id: string) => void;
}

/**
 * "Nộp hồ sơ": the procedures open to online submission, the receiving agency when several
 * receive it, the application form with what the system already holds filled in, the
 * components, and the receipt once the system has received it (Decree 45 Art. 11.1, 11.3).
 */
export function SubmitTab({ language, onOpenDossier }: SubmitTabProps) {
  const t = (key: PortalMessageKey) => portalText(language, key);
  const [procedures, setProcedures] = useState<PortalProcedure[] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [agencyCode, setAgencyCode] = useState('');
  const [form, setForm] = useState<ProcedureForm | undefined>();
  const [failure, setFailure] = useState<Refusal | undefined>();
  const [receipt, setReceipt] = useState<Receipt | undefined>();

  const loadProcedures = (cursor: string | null) =>
    portalApi.procedures(language, cursor).then(
      (page) => {
        setProcedures((current) => [...(cursor ? (current ?? []) : []), ...page.items]);
        setNext(page.next);
      },
      (error: unknown) => setFailure(refusalOf(error)),
    );

  useEffect(() => {
    void loadProcedures(null);
    // The list is the same in both languages: loaded once.
  }, []);

  const procedure = procedures?.find((item) => item.key === key);

  useEffect(() => {
    setForm(undefined);
    setFailure(undefined);
    if (!key) return;
    let current = true;
    portalApi.form(language, key).then(
      (answer) => current && setForm(answer),
      (error: unknown) => current && setFailure(refusalOf(error)),
    );
    return () => {
      current = false;
    };
  }, [key]);

  const choose = (value: string) => {
    setKey(value);
    const agencies = procedures?.find((item) => item.key === value)?.agencies ?? [];
    setAgencyCode(agencies.length === 1 ? agencies[0]!.code : '');
  };

  if (receipt) {
    const { dossier } = receipt;
    const code = receipt.receipt.code;
    return (
      <section className="portal-receipt" aria-labelledby="portal-receipt-title" data-testid="receipt">
        <h2 id="portal-receipt-title">{t('receiptTitle')}</h2>
        <dl className="portal-facts">
          <dt>{t('dossierCode')}</dt>
          <dd className="portal-code" data-testid="receipt-code">
            {code}
          </dd>
          <dt>{t('procedure')}</dt>
          <dd>{dossier.procedure.name}</dd>
          {dossier.agency ? (
            <>
              <dt>{t('agency')}</dt>
              <dd>{dossier.agency.name}</dd>
            </>
          ) : null}
          <dt>{t('receivedAt')}</dt>
          <dd data-testid="receipt-time">{formatDateTime(receipt.receipt.receivedAt)}</dd>
          <dt>{t('receiptDue')}</dt>
          <dd>{formatDateTime(receipt.receipt.receiptDueAt)}</dd>
        </dl>
        <p className="muted">{t('receiptExplain')}</p>
        <p className="portal-actions">
          <a className="button primary" href={portalLinks.notice(dossier.id, 'receipt')} target="_blank" rel="noopener">
            {t('receiptNotice')}
          </a>
          <button type="button" onClick={() => onOpenDossier(dossier.id)}>
            {t('openDossier')}
          </button>
          <button
            type="button"
            onClick={() => {
              setReceipt(undefined);
              setKey('');
            }}
          >
            {t('submitAnother')}
          </button>
        </p>
      </section>
    );
  }

  if (!procedures) return failure ? <Failure language={language} refusal={failure} /> : <p className="muted">{t('loading')}</p>;
  if (procedures.length === 0) return <p>{t('noProcedures')}</p>;

  const needsAgency = (procedure?.agencies.length ?? 0) > 1;
  return (
    <section className="portal-submit-tab">
      <div className="portal-choice">
        <label className="field">
          {t('procedure')}
          <select value={key} onChange={(event) => choose(event.target.value)} data-testid="procedure-select">
            <option value="">{t('chooseProcedure')}</option>
            {procedures.map((item) => (
              <option key={item.key} value={item.key}>
                {item.procedureCode ? `${item.procedureCode} – ` : ''}
                {item.name}
              </option>
            ))}
          </select>
        </label>
        {needsAgency && procedure ? (
          <label className="field portal-agency">
            {t('agency')}
            <select value={agencyCode} onChange={(event) => setAgencyCode(event.target.value)} data-testid="agency-select" required>
              <option value="">{t('chooseAgency')}</option>
              {procedure.agencies.map((agency) => (
                <option key={agency.code} value={agency.code}>
                  {agency.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {!needsAgency && procedure?.agencies[0] ? (
          <p className="portal-agency">
            {t('agency')}: <strong>{procedure.agencies[0].name}</strong>
          </p>
        ) : null}
        {next ? (
          <button type="button" onClick={() => void loadProcedures(next)}>
            {t('more')}
          </button>
        ) : null}
      </div>
      {key && !form && !failure ? <p className="muted">{t('loading')}</p> : null}
      {failure ? <Failure language={language} refusal={failure} /> : null}
      {form && procedure ? (
        <>
          <h2 className="portal-form-title">
            {t('applicationForm')}: {procedure.name}{' '}
            <span className="muted">
              ({t('formCode')} {form.form.code}, v{form.form.version})
            </span>
          </h2>
          {form.prefill.fields.length > 0 ? (
            <p className="portal-prefill-summary" data-testid="prefill-summary">
              {t('prefilledSummary')}
            </p>
          ) : null}
          <DossierFiller
            key={key}
            language={language}
            schema={form.form.schema}
            initialData={form.prefill.values}
            prefilledKeys={form.prefill.fields}
            specs={form.components}
            requireAllComponents
            submitLabel={t('submit')}
            busyLabel={t('submitting')}
            precheck={() => (needsAgency && !agencyCode ? { vi: portalText('vi', 'agencyRequired'), en: portalText('en', 'agencyRequired') } : undefined)}
            onSend={async (data, components) => {
              setReceipt(await portalApi.submit(language, { procedureKey: key, ...(agencyCode ? { agencyCode } : {}), formVersion: form.form.version, data, components }));
              window.scrollTo(0, 0);
            }}
          />
        </>
      ) : null}
    </section>
  );
}

/** A refusal outside a form (a list that would not load): its message in the chosen language. */
export function Failure({ language, refusal }: { language: Language; refusal: Refusal }) {
  return (
    <p className="error portal-refusal" role="alert">
      {refusal.messages[language]}
    </p>
  );
}
