import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { DOCUMENT_KINDS, DOCUMENT_KIND_NAMES, exclusionOf, type DocumentKind } from '../../../engine/digitization/document-kinds.ts';
import type { MetadataField } from '../../../engine/digitization/metadata.ts';
import { vietnameseDate } from '../../../engine/forms/formats.ts';
import { base64Of, digitizationApi, digitizationCopyUrl, type Digitization, type DigitizationStatus, type DigitizationSummary } from './digitization-api.ts';
import { workspaceText, type WorkspaceMessage } from './messages.ts';
import { ProblemNotice, problemOf } from './ProblemNotice.tsx';
import type { Dossier } from './workspace-api.ts';
import { formatDateTime } from '../format.ts';

/** The metadata of Circular 01 Art. 9.2 in the order of its points; dates shown and typed dd/mm/yyyy. */
const FIELDS: Record<MetadataField, { date?: true; long?: true }> = {
  documentTypeCode: {},
  holderId: {},
  holderName: {},
  holderBornOn: { date: true },
  documentName: {},
  numberSymbol: {},
  issuedOn: { date: true },
  issuingAgency: { long: true },
  synopsis: { long: true },
  validUntil: { date: true },
  validityScope: { long: true },
};
const FIELD_NAMES = Object.keys(FIELDS) as MetadataField[];
/** Below this, a suggestion is highlighted for the official to check (its line was read poorly or the rule is a guess). */
const LOW_CONFIDENCE = 0.75;
const RUNNING: ReadonlySet<DigitizationStatus> = new Set(['queued', 'ocr']);
const ACCEPTED = 'application/pdf,image/png,image/jpeg';

/** A value as the official reads and types it: ISO dates as dd/mm/yyyy (a year alone stays as it is). */
const shown = (field: MetadataField, value: string | null | undefined) => (value && FIELDS[field].date && /^\d{4}-\d{2}-\d{2}$/.test(value) ? vietnameseDate(value) : (value ?? ''));

/**
 * Digitization of the dossier's paper components (docs/digitization.md; Circular 01 Art. 6–12):
 * the official picks a component and says what the paper is (the kinds Art. 4.4 excludes are
 * flagged before anything is sent), counts its pages, orders the scanned files and uploads them;
 * follows the OCR page by page; then confirms or corrects each Art. 9.2 field the OCR suggested
 * (Art. 9.1) and gets the Art. 10 code and the signed, stamped copy (Art. 8.1).
 */
export function DigitizationPanel({ dossier, language }: { dossier: Dossier; language: Language }) {
  const t = (key: WorkspaceMessage, values?: Record<string, string | number>) => workspaceText(language, key, values);
  const [componentId, setComponentId] = useState(dossier.components[0]?.id ?? '');
  const [componentName, setComponentName] = useState('');
  const [kind, setKind] = useState<DocumentKind>('original');
  const [paperPages, setPaperPages] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [missing, setMissing] = useState<'name' | 'pages' | 'files' | undefined>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [items, setItems] = useState<DigitizationSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [selected, setSelected] = useState<Digitization | undefined>();
  const [values, setValues] = useState<Record<MetadataField, string> | undefined>();
  const [confirmProblem, setConfirmProblem] = useState<Problem | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);
  const detailHeading = useRef<HTMLHeadingElement>(null);
  const exclusion = exclusionOf(kind);
  const component = dossier.components.find((candidate) => candidate.id === componentId);

  const loadList = useCallback(async () => {
    try {
      const page = await digitizationApi.list(language, dossier.id);
      setItems(page.items);
      setNext(page.next);
    } catch (failure) {
      setProblem(problemOf(failure));
    }
  }, [dossier.id]);
  useEffect(() => void loadList(), [loadList]);

  const more = async () => {
    if (!next) return;
    const page = await digitizationApi.list(language, dossier.id, next).catch((failure: unknown) => setProblem(problemOf(failure)));
    if (!page) return;
    setItems((shownItems) => [...shownItems, ...page.items]);
    setNext(page.next);
  };

  /** A digitization opened: its metadata form filled from what was confirmed, else from the OCR's suggestions. */
  const show = (digitization: Digitization) => {
    setSelected(digitization);
    const source = digitization.metadata ?? (digitization.suggestions ? Object.fromEntries(FIELD_NAMES.map((field) => [field, digitization.suggestions?.[field]?.value ?? null])) : undefined);
    if (source && (digitization.status === 'awaiting-confirmation' || digitization.status === 'confirmed')) {
      setValues((current) => current ?? (Object.fromEntries(FIELD_NAMES.map((field) => [field, shown(field, source[field])])) as Record<MetadataField, string>));
    }
  };

  const open = async (digitizationId: string) => {
    setValues(undefined);
    setConfirmProblem(undefined);
    try {
      show(await digitizationApi.one(language, dossier.id, digitizationId));
      detailHeading.current?.focus();
    } catch (failure) {
      setProblem(problemOf(failure));
    }
  };

  // While the job signs the copy and reads the pages, the view is read again every second.
  const selectedId = selected?.id;
  const running = selected !== undefined && RUNNING.has(selected.status);
  useEffect(() => {
    if (!selectedId || !running) return undefined;
    const timer = setTimeout(() => {
      digitizationApi.one(language, dossier.id, selectedId).then((digitization) => {
        show(digitization);
        if (!RUNNING.has(digitization.status)) void loadList();
      }, (failure: unknown) => setProblem(problemOf(failure)));
    }, 1000);
    return () => clearTimeout(timer);
  }, [selected]);

  useEffect(() => {
    if (selectedId) detailHeading.current?.focus();
  }, [selectedId]);

  const move = (index: number, by: -1 | 1) => {
    setFiles((list) => {
      const moved = [...list];
      const [file] = moved.splice(index, 1);
      moved.splice(index + by, 0, file!);
      return moved;
    });
  };

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    const name = component?.name ?? componentName.trim();
    const pages = Number(paperPages);
    const lacking = !name ? 'name' : exclusion ? undefined : !Number.isInteger(pages) || pages < 1 || pages > 100 ? 'pages' : files.length === 0 ? 'files' : undefined;
    setMissing(lacking);
    if (lacking) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await digitizationApi.upload(language, dossier.id, {
        componentName: name,
        ...(component ? { componentId: component.id } : {}),
        documentKind: kind,
        // Art. 4.4: an excluded kind is only recorded; its pages and files are not sent.
        ...(exclusion ? {} : { paperPages: pages, files: await Promise.all(files.map(async (file) => ({ fileName: file.name, mediaType: file.type, contentBase64: await base64Of(file) }))) }),
      });
      setFiles([]);
      setPaperPages('');
      if (fileInput.current) fileInput.current.value = '';
      setValues(undefined);
      setConfirmProblem(undefined);
      show(created);
      await loadList();
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!selected || !values) return;
    setBusy(true);
    setConfirmProblem(undefined);
    try {
      const metadata = Object.fromEntries(FIELD_NAMES.map((field) => [field, values[field].trim() || null])) as Record<MetadataField, string | null>;
      const result = await digitizationApi.confirm(language, dossier.id, selected.id, metadata);
      setSelected(result);
      await loadList();
    } catch (failure) {
      setConfirmProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: MetadataField) => confirmProblem?.errors.find((error) => error.field === `body.metadata.${field}`);
  const copyReady = selected && selected.status !== 'excluded' && selected.status !== 'queued';

  return (
    <section className="ws-section ws-dz" aria-labelledby="ws-dz-title" data-testid="digitization-panel">
      <h3 id="ws-dz-title">{t('dzTitle')}</h3>
      {problem ? <ProblemNotice problem={problem} language={language} testId="dz-problem" /> : null}

      <form className="ws-dz-upload" onSubmit={(event) => void upload(event)} noValidate>
        <label className="field">
          {t('dzComponent')}
          <select value={componentId} onChange={(event) => setComponentId(event.target.value)} data-testid="dz-component">
            {dossier.components.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name} ({candidate.fileName})
              </option>
            ))}
            <option value="">{t('dzOtherComponent')}</option>
          </select>
        </label>
        {component ? null : (
          <label className="field">
            {t('dzComponentName')}
            <input value={componentName} onChange={(event) => {
                setComponentName(event.target.value);
                setMissing(undefined);
              }} aria-invalid={missing === 'name'} data-testid="dz-component-name" />
          </label>
        )}
        <label className="field">
          {t('dzKind')}
          <select value={kind} onChange={(event) => setKind(event.target.value as DocumentKind)} data-testid="dz-kind">
            {DOCUMENT_KINDS.map((candidate) => {
              const excluded = exclusionOf(candidate);
              const name = DOCUMENT_KIND_NAMES[candidate][language];
              return (
                <option key={candidate} value={candidate}>
                  {excluded ? t('dzKindExcluded', { name, article: excluded.article }) : name}
                </option>
              );
            })}
          </select>
        </label>
        {exclusion ? (
          <p className="ws-dz-excluded" role="alert" data-testid="dz-excluded">
            {t('dzExcludedNote', { article: exclusion.article, reason: exclusion.reason[language].replace(/\s*\([^)]*\)$/, '') })}
          </p>
        ) : (
          <>
            <label className="field ws-dz-pages">
              {t('dzPaperPages')}
              <input type="number" min={1} max={100} inputMode="numeric" value={paperPages} onChange={(event) => {
                  setPaperPages(event.target.value);
                  setMissing(undefined);
                }} aria-invalid={missing === 'pages'} data-testid="dz-pages" />
            </label>
            {/* The browser's own file button speaks the browser's language: this one speaks the page's. */}
            <div className="field ws-dz-files">
              <span id="ws-dz-files-label">{t('dzFiles')}</span>
              <div className="ws-buttons">
                <button type="button" aria-labelledby="ws-dz-files-label ws-dz-choose" id="ws-dz-choose" aria-invalid={missing === 'files'} onClick={() => fileInput.current?.click()}>
                  {t('dzChoose')}
                </button>
                <span className="muted">{t('dzChosen', { n: files.length })}</span>
              </div>
              <input
                type="file"
                hidden
                multiple
                accept={ACCEPTED}
                ref={fileInput}
                onChange={(event) => {
                  const chosen = Array.from(event.target.files ?? []);
                  setFiles((list) => [...list, ...chosen]);
                  setMissing(undefined);
                  event.target.value = '';
                }}
                data-testid="dz-files"
              />
            </div>
            {files.length > 0 ? (
              <ol className="ws-dz-filelist" data-testid="dz-file-list">
                {files.map((file, index) => (
                  <li key={`${file.name}-${index}`}>
                    <span>{file.name}</span>
                    <button type="button" disabled={index === 0} aria-label={t('dzUp', { name: file.name })} onClick={() => move(index, -1)}>
                      ↑
                    </button>
                    <button type="button" disabled={index === files.length - 1} aria-label={t('dzDown', { name: file.name })} onClick={() => move(index, 1)}>
                      ↓
                    </button>
                    <button type="button" aria-label={t('dzRemove', { name: file.name })} onClick={() => setFiles((list) => list.filter((_, at) => at !== index))}>
                      ✕
                    </button>
                  </li>
                ))}
              </ol>
            ) : null}
          </>
        )}
        {missing ? (
          <p className="ws-overdue" role="alert">
            {t(missing === 'name' ? 'dzNeedName' : missing === 'pages' ? 'dzNeedPages' : 'dzNeedFiles')}
          </p>
        ) : null}
        <div className="ws-buttons">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('dzUploading') : exclusion ? t('dzRecordExcluded') : t('dzUpload')}
          </button>
        </div>
      </form>

      <h4>{t('dzList')}</h4>
      {items.length === 0 ? (
        <p className="muted">{t('dzNone')}</p>
      ) : (
        <table className="ws-table" data-testid="dz-list">
          <thead>
            <tr>
              <th scope="col">{t('dzComponent')}</th>
              <th scope="col">{t('dzKindShort')}</th>
              <th scope="col">{t('dzStatusHead')}</th>
              <th scope="col">{t('dzPagesHead')}</th>
              <th scope="col">{t('dzCode')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} className={item.id === selectedId ? 'current' : undefined} data-status={item.status}>
                <td>{item.componentName}</td>
                <td>{DOCUMENT_KIND_NAMES[item.documentKind][language]}</td>
                <td>{t(`dzStatus.${item.status}`)}</td>
                <td>{item.status === 'excluded' ? item.exclusion?.article : t('dzPages', { done: item.pagesDone, total: item.pagesTotal })}</td>
                <td className="ws-code">{item.code ?? ''}</td>
                <td>
                  <button type="button" onClick={() => void open(item.id)} aria-label={`${t('dzOpen')}: ${item.componentName}, ${formatDateTime(item.createdAt)}`}>
                    {t('dzOpen')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <button type="button" onClick={() => void more()}>
          {t('more')}
        </button>
      ) : null}

      {selected ? (
        <div className="ws-dz-detail" data-testid="dz-detail" data-status={selected.status}>
          <h4 tabIndex={-1} ref={detailHeading}>
            {selected.componentName} · {selected.documentKindName[language]} · <span data-testid="dz-status">{t(`dzStatus.${selected.status}`)}</span>
          </h4>
          {selected.exclusion ? <p className="ws-dz-excluded">{selected.exclusion.reason[language]}</p> : null}
          {selected.status !== 'excluded' ? (
            <div className="ws-dz-progress" aria-label={t('dzProgress')} role="group">
              {selected.progress.pages.map((page) => {
                const percent = Math.round(page.progress * 100);
                return (
                  <div key={page.n} className="ws-dz-page">
                    <span id={`ws-dz-page-${page.n}`}>{t('dzPage', { n: page.n })}</span>
                    <div role="progressbar" aria-labelledby={`ws-dz-page-${page.n}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${percent}%`} className="ws-dz-bar" data-testid="dz-page-progress">
                      <div style={{ width: `${percent}%` }} />
                    </div>
                    <span>{percent}%</span>
                  </div>
                );
              })}
            </div>
          ) : null}
          {selected.ocrProblem ? <p className="ws-dz-excluded" data-testid="dz-ocr-problem">{selected.ocrProblem.text[language]}</p> : null}
          {copyReady ? (
            <p>
              <a href={digitizationCopyUrl(dossier.id, selected.id)} target="_blank" rel="noreferrer" data-testid="dz-copy">
                {t('dzCopy')}
              </a>
            </p>
          ) : null}
          {selected.code ? (
            <p className="ws-notice" role="status" data-testid="dz-code-line">
              {t('dzCode')}: <strong className="ws-code" data-testid="dz-code">{selected.code}</strong>
              {selected.confirmedAt && selected.confirmedByName ? ` — ${t('dzConfirmedBy', { name: selected.confirmedByName, at: formatDateTime(selected.confirmedAt) })}` : ''}
            </p>
          ) : null}

          {values && (selected.status === 'awaiting-confirmation' || selected.status === 'confirmed') ? (
            <form className="ws-dz-metadata" onSubmit={(event) => void confirm(event)} noValidate data-testid="dz-metadata">
              <p className="ws-dz-legend">{t('dzMetadata')}</p>
              {confirmProblem ? <ProblemNotice problem={confirmProblem} language={language} testId="dz-confirm-problem" /> : null}
              {FIELD_NAMES.map((field) => {
                const suggestion = selected.suggestions?.[field] ?? null;
                const low = suggestion !== null && suggestion.confidence < LOW_CONFIDENCE;
                const corrected = suggestion !== null && values[field] !== shown(field, suggestion.value);
                const error = fieldError(field);
                const inputId = `ws-dz-${field}`;
                const noteId = `${inputId}-note`;
                return (
                  <div key={field} className={`ws-dz-field${low ? ' low' : ''}`} data-field={field} data-testid="dz-field">
                    <label htmlFor={inputId}>{t(`dzField.${field}`)}</label>
                    <input
                      id={inputId}
                      value={values[field]}
                      placeholder={FIELDS[field].date ? t('dzDateHint') : undefined}
                      aria-describedby={noteId}
                      aria-invalid={error !== undefined}
                      className={FIELDS[field].long ? 'long' : undefined}
                      onChange={(event) => setValues({ ...values, [field]: event.target.value })}
                    />
                    <span id={noteId} className="ws-dz-note" data-testid="dz-confidence">
                      {suggestion ? t('dzConfidence', { n: Math.round(suggestion.confidence * 100) }) : t('dzNoSuggestion')}
                      {low ? ` — ${t('dzLowConfidence')}` : ''}
                      {suggestion ? ` · ${t('dzFromPage', { page: suggestion.page, line: suggestion.line })}` : ''}
                      {corrected ? <strong> · {t('dzCorrected')}</strong> : null}
                      {error ? <strong className="ws-overdue"> · {error.messages?.[language] ?? error.message}</strong> : null}
                    </span>
                  </div>
                );
              })}
              <div className="ws-buttons">
                <button type="submit" className="primary" disabled={busy}>
                  {t('dzConfirm')}
                </button>
              </div>
            </form>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
