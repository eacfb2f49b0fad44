import { useEffect, useState } from 'react';
import { formatDateTime, formatNumber } from '../format.ts';
import type { Language } from '../i18n.ts';
import { DossierFiller } from './DossierFiller.tsx';
import { portalText, statusWords, type PortalMessageKey } from './messages.ts';
import { portalApi, portalLinks, type Dossier, type ProcedureForm } from './portal-api.ts';
import { formatFileSize } from './portal-format.ts';
import { refusalOf, type Refusal } from './refusal.ts';
import { PaymentsSection } from './PaymentsSection.tsx';
import { RatingSection } from './RatingSection.tsx';
import { ResultItem } from './ResultItem.tsx';
import { ComponentSignatureNote } from '../signatures/ComponentSignatureNote.tsx';
import { usePagedList } from './use-paged-list.ts';
import { Failure } from './SubmitTab.tsx';

interface MyDossiersProps {
  language: Language;
  /** The dossier open, if one is. */
  openId: string | undefined;
  onOpen: (id: string | undefined) => void;
}

/** An amendment opens with the dossier's own data: nothing is marked as filled from elsewhere (one array, so the form is not imported again on every render). */
const NOTHING_PREFILLED: readonly string[] = [];

/** The deadline a dossier's list row shows: the whole dossier's when the server states one, the receipt check's while it is awaited (Decree 45 Art. 11.4). */
const deadlineOf = (dossier: Dossier) => dossier.dueAt ?? (dossier.status === 'submitted' ? dossier.receiptDueAt : null);
const overdueOf = (dossier: Dossier) => dossier.overdue ?? dossier.receiptOverdue ?? false;

/** "Hồ sơ của tôi": the applicant's dossiers, newest first, page by page; one opens in full. */
export function MyDossiers({ language, openId, onOpen }: MyDossiersProps) {
  const t = (key: PortalMessageKey, values?: Record<string, string | number>) => portalText(language, key, values);
  const { items, next, total, failure, load } = usePagedList<Dossier>((cursor) => portalApi.dossiers(language, cursor));

  useEffect(() => {
    // Again each time the list is shown: an amendment or a new application changes it.
    if (!openId) void load(null);
  }, [openId]);

  if (openId) return <DossierView language={language} id={openId} onBack={() => onOpen(undefined)} />;
  if (failure) return <Failure language={language} refusal={failure} />;
  if (!items) return <p className="muted">{t('loading')}</p>;
  if (items.length === 0) return <p>{t('noDossiers')}</p>;
  return (
    <section>
      <table className="portal-table" data-testid="dossier-list">
        <caption className="muted">{t('dossierCount', { shown: items.length, total: total ?? items.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dossierCode')}</th>
            <th scope="col">{t('procedure')}</th>
            <th scope="col">{t('submittedAt')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('deadline')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((dossier) => (
            <tr key={dossier.id}>
              <td>
                <button type="button" className="link portal-code" onClick={() => onOpen(dossier.id)}>
                  {dossier.code}
                </button>
              </td>
              <td>{dossier.procedure.name}</td>
              <td>{formatDateTime(dossier.submittedAt)}</td>
              <td>{statusWords(language, dossier.status, dossier.statusText)}</td>
              <td>
                {deadlineOf(dossier) ? formatDateTime(deadlineOf(dossier)!) : '—'}
                {overdueOf(dossier) ? <span className="portal-overdue"> {t('overdue')}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          {t('more')}
        </button>
      ) : null}
    </section>
  );
}

/** A value of the application as text: what form-js stored (text, numbers, choices, groups). */
function valueText(value: unknown, language: Language, choices: Record<string, string> = {}): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' && choices[value]) return choices[value];
  if (typeof value === 'number') return formatNumber(value, language);
  if (typeof value === 'boolean') return language === 'vi' ? (value ? 'Có' : 'Không') : value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.map((item) => valueText(item, language, choices)).join(', ');
  if (typeof value === 'object') return Object.entries(value).map(([key, item]) => `${key}: ${valueText(item, language)}`).join('; ');
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '—');
}

interface SchemaNode {
  type?: string;
  key?: string;
  label?: string;
  /** A date field's label (form-js datetime). */
  dateLabel?: string;
  values?: Array<{ label: string; value: string }>;
  components?: SchemaNode[];
}

type DataRow = { group: string } | { key: string; label: string; text: string };

/**
 * The application's data as the form shows it: in the form's order, under its groups' titles,
 * each value by its label (a choice by its label, a date dd/mm/yyyy); anything the form does not
 * name (an older version's field) after it, by its key.
 */
function dataRows(schema: SchemaNode | undefined, data: Record<string, unknown>, language: Language): DataRow[] {
  const rows: DataRow[] = [];
  const shown = new Set<string>();
  const visit = (node: SchemaNode) => {
    if (node.key !== undefined) {
      if (!(node.key in data)) return;
      shown.add(node.key);
      const value = data[node.key];
      const date = node.type === 'datetime' && typeof value === 'string' ? value.match(/^(\d{4})-(\d{2})-(\d{2})$/) : null;
      const choices = Object.fromEntries((node.values ?? []).map((choice) => [choice.value, choice.label]));
      rows.push({ key: node.key, label: node.label ?? node.dateLabel ?? node.key, text: date ? `${date[3]}/${date[2]}/${date[1]}` : valueText(value, language, choices) });
      return;
    }
    const before = rows.length;
    if (node.type === 'group' && node.label) rows.push({ group: node.label });
    (node.components ?? []).forEach(visit);
    // A group none of whose fields were filled in is left out, title and all.
    if (rows.length === before + 1 && 'group' in rows[before]!) rows.pop();
  };
  if (schema) visit(schema);
  for (const [key, value] of Object.entries(data)) if (!shown.has(key)) rows.push({ key, label: key, text: valueText(value, language) });
  return rows;
}

/** One dossier in full: its data, components, history, amendment request (and the amendment), refusal and results. */
function DossierView({ language, id, onBack }: { language: Language; id: string; onBack: () => void }) {
  const t = (key: PortalMessageKey, values?: Record<string, string | number>) => portalText(language, key, values);
  const [dossier, setDossier] = useState<Dossier | undefined>();
  const [failure, setFailure] = useState<Refusal | undefined>();
  /** The procedure's form: its labels name the data, and an amendment is filled in it. */
  const [form, setForm] = useState<ProcedureForm | undefined>();
  const [amending, setAmending] = useState(false);
  const [amended, setAmended] = useState(false);

  const load = () => portalApi.dossier(language, id).then(setDossier, (error: unknown) => setFailure(refusalOf(error)));
  useEffect(() => {
    void load();
  }, [id]);
  useEffect(() => {
    // Without the form the data is still shown, by its keys.
    if (dossier) portalApi.form(language, dossier.procedure.key).then(setForm, () => undefined);
  }, [dossier?.procedure.key]);
  const rows = dataRows(form?.form.schema, dossier?.data ?? {}, language);

  const back = (
    <button type="button" className="link" onClick={onBack}>
      {t('backToList')}
    </button>
  );
  if (failure && !dossier) return (
    <section>
      {back}
      <Failure language={language} refusal={failure} />
    </section>
  );
  if (!dossier) return <p className="muted">{t('loading')}</p>;
  const amendment = dossier.amendment;
  const canAmend = dossier.status === 'amendment-requested' && amendment && !amendment.answeredAt;
  return (
    <article className="portal-dossier" aria-labelledby="portal-dossier-title" data-testid="dossier-view">
      {back}
      <h2 id="portal-dossier-title">
        <span className="portal-code">{dossier.code}</span> — {dossier.procedure.name}
      </h2>
      <dl className="portal-facts">
        <dt>{t('status')}</dt>
        <dd data-testid="dossier-status">{statusWords(language, dossier.status, dossier.statusText)}</dd>
        {dossier.agency ? (
          <>
            <dt>{t('agency')}</dt>
            <dd>{dossier.agency.name}</dd>
          </>
        ) : null}
        {dossier.applicant ? (
          <>
            <dt>{t('applicant')}</dt>
            <dd>
              {dossier.applicant.name}
              {dossier.applicant.idNumber ? ` (${dossier.applicant.idNumber})` : ''}
            </dd>
          </>
        ) : null}
        <dt>{t('receivedAt')}</dt>
        <dd>{formatDateTime(dossier.submittedAt)}</dd>
        <dt>{t('receiptDue')}</dt>
        <dd>
          {formatDateTime(dossier.receiptDueAt)}
          {dossier.receiptOverdue ? <span className="portal-overdue"> {t('overdue')}</span> : null}
        </dd>
      </dl>
      <p className="portal-actions">
        <a className="button" href={portalLinks.notice(dossier.id, 'receipt')} target="_blank" rel="noopener">
          {t('receiptNotice')}
        </a>
      </p>

      {amendment ? (
        <section className="portal-amendment" aria-labelledby="portal-amendment-title">
          <h3 id="portal-amendment-title">{t('amendmentTitle')}</h3>
          <p className="muted">
            {t('amendmentRequestedAt')} {formatDateTime(amendment.requestedAt)}
            {amendment.answeredAt ? ` · ${t('amendmentAnsweredAt')} ${formatDateTime(amendment.answeredAt)}` : ''}
          </p>
          <ul data-testid="amendment-items">
            {amendment.items.map((item, index) => (
              <li key={index}>{item}</li>
            ))}
          </ul>
          {amendment.note ? <p>{amendment.note}</p> : null}
          <p className="portal-actions">
            <a className="button" href={portalLinks.notice(dossier.id, 'amendment')} target="_blank" rel="noopener">
              {t('amendmentNotice')}
            </a>
            {canAmend && form && !amending ? (
              <button type="button" className="primary" onClick={() => setAmending(true)}>
                {t('amend')}
              </button>
            ) : null}
          </p>
          {amended ? (
            <p className="session-notice" role="status">
              {t('amended')}
            </p>
          ) : null}
          {canAmend && form && amending ? (
            <div className="portal-amend-form">
              <p className="muted">{t('amendExplain')}</p>
              <DossierFiller
                language={language}
                schema={form.form.schema}
                initialData={dossier.data ?? {}}
                prefilledKeys={NOTHING_PREFILLED}
                specs={form.components}
                requireAllComponents={false}
                submitLabel={t('sendAmendment')}
                busyLabel={t('submitting')}
                onSend={async (data, components) => {
                  // A component may come from the store, as at submission (Decree 45 Art. 4.4; docs/datastore.md).
                  await portalApi.amend(language, dossier.id, { data, components });
                  setAmending(false);
                  setAmended(true);
                  await load();
                }}
              />
              <button type="button" onClick={() => setAmending(false)}>
                {t('cancel')}
              </button>
            </div>
          ) : null}
        </section>
      ) : null}

      {dossier.refusal ? (
        <section className="portal-refused" aria-labelledby="portal-refusal-title">
          <h3 id="portal-refusal-title">
            {t('refusalTitle')} <span className="muted">({formatDateTime(dossier.refusal.at)})</span>
          </h3>
          <ul>
            {dossier.refusal.reasons.map((reason, index) => (
              <li key={index}>{reason}</li>
            ))}
          </ul>
          <a className="button" href={portalLinks.notice(dossier.id, 'refusal')} target="_blank" rel="noopener">
            {t('refusalNotice')}
          </a>
        </section>
      ) : null}

      {dossier.payments ? <PaymentsSection language={language} dossier={dossier} payments={dossier.payments} onChanged={load} /> : null}

      {dossier.endedAt ? <RatingSection language={language} dossierId={dossier.id} rating={dossier.rating ?? null} onRated={() => void load()} /> : null}

      {dossier.results && dossier.results.length > 0 ? (
        <section aria-labelledby="portal-results-title">
          <h3 id="portal-results-title">{t('results')}</h3>
          <ul className="portal-results" data-testid="results">
            {dossier.results.map((result) => (
              <ResultItem key={result.code} language={language} result={result} />
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="portal-data-title">
        <h3 id="portal-data-title">{t('formData')}</h3>
        <dl className="portal-facts portal-data">
          {rows.map((row, index) =>
            'group' in row ? (
              <div key={`group-${index}`} className="portal-fact portal-data-group">
                <dt>{row.group}</dt>
              </div>
            ) : (
              <div key={row.key} className="portal-fact">
                <dt>{row.label}</dt>
                <dd>{row.text}</dd>
              </div>
            ),
          )}
        </dl>
      </section>

      <section aria-labelledby="portal-components-title">
        <h3 id="portal-components-title">{t('components')}</h3>
        {dossier.components && dossier.components.length > 0 ? (
          <ul>
            {dossier.components.map((component) => (
              <li key={component.id}>
                {component.name}:{' '}
                <a href={portalLinks.component(dossier.id, component.id)} download={component.fileName}>
                  {component.fileName}
                </a>{' '}
                <span className="muted">({formatFileSize(component.size, language)})</span>
                <ComponentSignatureNote signature={component.signature} language={language} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('noComponents')}</p>
        )}
      </section>

      <section aria-labelledby="portal-history-title">
        <h3 id="portal-history-title">{t('history')}</h3>
        <ol className="portal-history">
          {(dossier.history ?? []).map((event, index) => (
            <li key={index}>
              <time dateTime={event.at}>{formatDateTime(event.at)}</time> {event.text[language]}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
