import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { ProblemError, api, type CatalogueProcedure, type ModelSummary } from '../api.ts';
import { download } from '../download.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { CalibrationPanel, type CalibrationState } from './CalibrationPanel.tsx';
import { ChangeList } from './ChangeList.tsx';
import { CompareCharts } from './CompareCharts.tsx';
import { compareApi, type OnlineServiceClassification, type RestructuringAnalysis } from './compare-api.ts';
import { ComparedViewers, type Side } from './compared-viewers.ts';
import { FilingDialog } from './FilingDialog.tsx';
import type { FilingDetails } from '../../../server/reports/restructuring-report.ts';
import { diffMarkers, reconcileChanges, rowKey, rowOfElement, type ChangeRow } from './change-list.ts';
import { initialSources, parseSource, procedureCodeOf, processKeyOf, sourceValue, type ModelSource } from './model-source.ts';
import { OnlineLevel } from './OnlineLevel.tsx';
import { SavingsSummary } from './SavingsSummary.tsx';
import { semanticDiff } from './semantic-diff.ts';
import './compare.css';

interface CompareViewProps {
  language: Language;
  catalogue: CatalogueProcedure[];
  savedModels: ModelSummary[];
  /** The model open in the designer: its id once saved, its stage and the catalogue procedure it came from. */
  openModel: { id?: string | undefined; stage: 'as-is' | 'to-be'; catalogueId?: string | undefined };
  /** The XML of the model open in the designer. */
  openModelXml: () => Promise<string>;
  onClose: () => void;
}

interface Comparison {
  xml: Record<Side, string>;
  analysis: RestructuringAnalysis;
  classification: OnlineServiceClassification;
  rows: ChangeRow[];
}

type CompareState =
  | { status: 'idle' }
  | { status: 'computing' }
  | { status: 'ready'; comparison: Comparison }
  | { status: 'failed'; message: string; problems: Array<{ side?: Side; text: { vi: string; en: string } }> };

/** What went wrong, with the server's list of problems (each tagged with its model: asIs or toBe). */
function failure(error: unknown): CompareState {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof ProblemError)) return { status: 'failed', message, problems: [] };
  const problems = (error.problem.errors ?? []).map((problem) => {
    const side: Side | undefined = problem.field === 'asIs' || problem.field === 'toBe' ? problem.field : undefined;
    return { ...(side ? { side } : {}), text: problem.messages ?? { vi: problem.message, en: problem.message } };
  });
  return { status: 'failed', message, problems };
}

type Tab = 'changes' | 'charts' | 'online' | 'calibration';

const SIDES: Side[] = ['asIs', 'toBe'];

/**
 * As-is and to-be side by side, the way procedure-control staff justify a restructuring
 * (Circular 01/2023 Art. 17–18): the two diagrams with what was removed, added and changed, the
 * savings, the charts, the to-be's online level (Art. 13) and the report to file.
 */
export function CompareView({ language, catalogue, savedModels, openModel, openModelXml, onClose }: CompareViewProps) {
  const t = (key: MessageKey) => translate(language, key);
  const containers = { asIs: useRef<HTMLDivElement>(null), toBe: useRef<HTMLDivElement>(null) };
  const viewersRef = useRef<ComparedViewers | null>(null);
  const [sources, setSources] = useState<Record<Side, ModelSource> | undefined>();
  const [files, setFiles] = useState<Partial<Record<Side, { name: string; xml: string }>>>({});
  const [state, setState] = useState<CompareState>({ status: 'idle' });
  const [tab, setTab] = useState<Tab>('changes');
  const [calibration, setCalibration] = useState<CalibrationState>({ status: 'idle' });
  const [highlighted, setHighlighted] = useState<string | undefined>();
  const rowsRef = useRef<ChangeRow[]>([]);
  const latest = useRef(0);

  /** Both sides of a row selected (what the other diagram has of it), the row marked in the list. */
  const selectRow = (row: ChangeRow | undefined, move: boolean) => {
    setHighlighted(row && rowKey(row));
    if (!row) return;
    const ids = { asIs: row.kind === 'added' ? undefined : row.asIsId, toBe: row.kind === 'removed' ? undefined : row.toBeId };
    if (move) viewersRef.current?.focus(ids);
    else viewersRef.current?.select(ids);
  };
  const selectRowRef = useRef(selectRow);
  selectRowRef.current = selectRow;

  useEffect(() => {
    // A click on a changed element shows its line in the list of changes.
    const viewers = new ComparedViewers({ asIs: containers.asIs.current!, toBe: containers.toBe.current! }, (side, elementId) => {
      const row = rowOfElement(rowsRef.current, side, elementId);
      if (row) setTab('changes');
      selectRowRef.current(row, false);
    });
    viewersRef.current = viewers;
    return () => {
      viewers.destroy();
      viewersRef.current = null;
    };
    // The containers are mounted once; the viewers live as long as the view.
  }, []);

  // The open model is read when a comparison starts, not each time the designer renders.
  const openModelRef = useRef(openModelXml);
  openModelRef.current = openModelXml;

  // The open procedure's pair: the open model beside the other model of its procedure (its
  // catalogue entry, or the one with its procedure code); the first catalogue pair when none is known.
  const { stage: openStage, catalogueId: openCatalogueId } = openModel;
  // A saved model's procedure holds its other stage too (docs/models.md).
  const openProject = savedModels.find((saved) => saved.id === openModel.id)?.projectId;
  const pairModelId = openProject === undefined ? undefined : savedModels.find((saved) => saved.projectId === openProject && saved.stage !== openStage)?.id;
  useEffect(() => {
    if (sources !== undefined || catalogue.length === 0) return;
    let current = true;
    void openModelRef.current().then(
      (xml) => procedureCodeOf(xml),
      () => undefined,
    ).then((procedureCode) => {
      if (current) setSources((already) => already ?? initialSources({ stage: openStage, catalogueId: openCatalogueId, procedureCode, pairModelId }, catalogue));
    });
    return () => {
      current = false;
    };
  }, [catalogue, sources, openStage, openCatalogueId, pairModelId]);

  useEffect(() => {
    if (!sources) return;
    const request = ++latest.current;
    const load = async (side: Side): Promise<string> => {
      const source = sources[side];
      switch (source.kind) {
        case 'catalogue':
          return api.catalogueModel(source.id, source.stage, language);
        case 'saved':
          return (await api.getModel(source.id, language)).xml;
        case 'open':
          return openModelRef.current();
        case 'file': {
          const file = files[side];
          if (!file) throw new Error(translate(language, 'compareChooseFile'));
          return file.xml;
        }
      }
    };
    setState({ status: 'computing' });
    // A calibration belongs to the procedure it measured.
    setCalibration({ status: 'idle' });
    (async () => {
      const [asIs, toBe] = await Promise.all([load('asIs'), load('toBe')]);
      // The server first: a model it refuses is explained in the user's language, each problem with its element.
      const analysis = await compareApi.cost(asIs, toBe, language);
      const [classification, diff] = await Promise.all([compareApi.classify(toBe, language), semanticDiff(asIs, toBe)]);
      if (request !== latest.current) return;
      const rows = reconcileChanges(diff, analysis.changes);
      await viewersRef.current?.show(asIs, toBe, diffMarkers(rows));
      if (request !== latest.current) return;
      rowsRef.current = rows;
      setHighlighted(undefined);
      setState({ status: 'ready', comparison: { xml: { asIs, toBe }, analysis, classification, rows } });
    })().catch((error: unknown) => {
      if (request === latest.current) setState(failure(error));
    });
    // The figures do not depend on the language (the server words only its errors): a switch keeps them.
  }, [sources, files]);

  const procedureOf = (source: ModelSource | undefined) => (source?.kind === 'catalogue' ? source.id : '');
  const pairedProcedure = sources && procedureOf(sources.asIs) === procedureOf(sources.toBe) ? procedureOf(sources.asIs) : '';

  const chooseFile = async (side: Side, event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const xml = await file.text();
    setFiles((current) => ({ ...current, [side]: { name: file.name, xml } }));
    setSources((current) => current && { ...current, [side]: { kind: 'file' } });
  };

  const [askingFiling, setAskingFiling] = useState(false);
  const report = async (format: 'xlsx' | 'pdf', filing?: FilingDetails) => {
    if (state.status !== 'ready') return;
    try {
      const file = await compareApi.report(state.comparison.xml.asIs, state.comparison.xml.toBe, format, language, filing);
      download(file.name, file.bytes, file.type);
    } catch (error) {
      setState(failure(error));
    }
  };

  const comparison = state.status === 'ready' ? state.comparison : undefined;

  // Issue 14: the deployed procedure of the to-be measured on the dossiers it handled, predicted beside as executed.
  const calibrate = async () => {
    if (!comparison) return;
    const key = processKeyOf(comparison.xml.toBe);
    if (key === undefined) {
      setCalibration({ status: 'failed', message: t('calibrationNoProcess') });
      return;
    }
    setCalibration({ status: 'running' });
    try {
      setCalibration({ status: 'ready', outcome: await compareApi.calibrate(key, language) });
    } catch (error) {
      setCalibration({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const picker = (side: Side) => (
    <label className="compare-source">
      <span>{t(side === 'asIs' ? 'stageAsIs' : 'stageToBe')}</span>
      <select
        aria-label={t(side === 'asIs' ? 'stageAsIs' : 'stageToBe')}
        value={sources ? sourceValue(sources[side]) : ''}
        onChange={(event) => setSources((current) => current && { ...current, [side]: parseSource(event.target.value) })}
      >
        <option value="open">{t('compareOpenModel')}</option>
        {files[side] ? <option value="file">{`${t('compareFromFile')}: ${files[side].name}`}</option> : null}
        <optgroup label={t('catalogue')}>
          {catalogue.flatMap((procedure) =>
            (['as-is', 'to-be'] as const).map((stage) => (
              <option key={`${procedure.id}-${stage}`} value={sourceValue({ kind: 'catalogue', id: procedure.id, stage })}>
                {`${procedure.name[language]} — ${t(stage === 'as-is' ? 'catalogueAsIs' : 'catalogueToBe')}`}
              </option>
            )),
          )}
        </optgroup>
        {savedModels.length > 0 ? (
          <optgroup label={t('savedModels')}>
            {savedModels.map((saved) => (
              <option key={saved.id} value={sourceValue({ kind: 'saved', id: saved.id })}>
                {`${saved.name} (${saved.stage}, ${t('version')} ${saved.latestVersion})`}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      <label className="button" title={t('compareChooseFile')}>
        …
        <input type="file" accept=".bpmn,.xml" hidden aria-label={`${t('compareChooseFile')} — ${t(side === 'asIs' ? 'stageAsIs' : 'stageToBe')}`} onChange={(event) => void chooseFile(side, event)} />
      </label>
    </label>
  );

  return (
    <main className="compare" aria-label={t('compareTitle')}>
      <div className="compare-bar">
        <button type="button" onClick={onClose}>
          ← {t('backToDesigner')}
        </button>
        <label className="compare-source">
          <span>{t('compareProcedure')}</span>
          <select
            aria-label={t('compareProcedure')}
            value={pairedProcedure}
            onChange={(event) => setSources({ asIs: { kind: 'catalogue', id: event.target.value, stage: 'as-is' }, toBe: { kind: 'catalogue', id: event.target.value, stage: 'to-be' } })}
          >
            <option value="" disabled>
              …
            </option>
            {catalogue.map((procedure) => (
              <option key={procedure.id} value={procedure.id}>
                {procedure.name[language]}
              </option>
            ))}
          </select>
        </label>
        {picker('asIs')}
        {picker('toBe')}
        <span className="spacer" />
        {state.status === 'computing' ? <span className="muted">{t('compareComputing')}</span> : null}
        <span className="compare-report">
          {t('report')}:
          <button type="button" disabled={!comparison} aria-label={t('reportXlsx')} onClick={() => void report('xlsx')}>
            Excel
          </button>
          <button type="button" disabled={!comparison} aria-label={t('reportPdf')} onClick={() => setAskingFiling(true)}>
            PDF
          </button>
        </span>
      </div>
      {askingFiling ? (
        <FilingDialog
          language={language}
          onCancel={() => setAskingFiling(false)}
          onSubmit={(filing) => {
            setAskingFiling(false);
            void report('pdf', filing);
          }}
        />
      ) : null}
      {state.status === 'failed' ? (
        <div className="error compare-error" role="alert">
          {t('compareFailed')}: {state.message}
          <ul>
            {state.problems.map((problem, index) => (
              <li key={index}>
                {problem.side ? `${t(problem.side === 'asIs' ? 'stageAsIs' : 'stageToBe')}: ` : ''}
                {problem.text[language]}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="compare-diagrams">
        {SIDES.map((side) => (
          <section key={side} className="compare-diagram" aria-label={t(side === 'asIs' ? 'stageAsIs' : 'stageToBe')}>
            <h2 className="compare-diagram-title">{t(side === 'asIs' ? 'stageAsIs' : 'stageToBe')}</h2>
            <div className="compare-canvas" ref={containers[side]} data-testid={`compare-${side}`} />
          </section>
        ))}
      </div>
      <div className="compare-details">
        {comparison ? <SavingsSummary analysis={comparison.analysis} language={language} /> : <section className="savings" />}
        <section className="compare-tabs">
          <div role="tablist" className="tablist">
            {(['changes', 'charts', 'online', 'calibration'] as const).map((name) => (
              <button key={name} type="button" role="tab" aria-selected={tab === name} className={tab === name ? 'tab current' : 'tab'} onClick={() => setTab(name)}>
                {t(name === 'changes' ? 'tabChanges' : name === 'charts' ? 'tabCharts' : name === 'online' ? 'tabOnline' : 'tabCalibration')}
                {name === 'changes' && comparison ? ` (${comparison.rows.length})` : ''}
              </button>
            ))}
          </div>
          <div role="tabpanel" className="tabpanel">
            {comparison && tab === 'changes' ? <ChangeList rows={comparison.rows} language={language} highlighted={highlighted} onSelect={(row) => selectRow(row, true)} /> : null}
            {comparison && tab === 'charts' ? <CompareCharts analysis={comparison.analysis} language={language} /> : null}
            {comparison && tab === 'online' ? <OnlineLevel classification={comparison.classification} language={language} onSelect={(id) => viewersRef.current?.focus({ toBe: id })} /> : null}
            {tab === 'calibration' ? (
              <CalibrationPanel state={calibration} language={language} canCalibrate={comparison !== undefined} onCalibrate={() => void calibrate()} onSelect={(id) => viewersRef.current?.focus({ toBe: id })} />
            ) : null}
          </div>
        </section>
      </div>
    </main>
  );
}
