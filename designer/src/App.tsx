import { Suspense, lazy, useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import type Modeler from 'bpmn-js/lib/Modeler';
import { onSessionRenewed } from './api-client.ts';
import { api, type CatalogueProcedure, type Health, type ModelSummary } from './api.ts';
import type { CheckMarkers } from './checks/check-markers.ts';
import { ChecksPanel } from './checks/ChecksPanel.tsx';
import { initialChecks, watchChecks, type ChecksState } from './checks/live-checks.ts';
import { CostPanel } from './cost/CostPanel.tsx';
import { watchLiveCost, type LiveCostState } from './cost/live-cost.ts';
import { DeployPanel } from './deploy/DeployPanel.tsx';
import { DeploymentsPanel } from './deploy/DeploymentsPanel.tsx';
import { download, fileNameFor } from './download.ts';
import { svgToPng } from './export/png.ts';
import { FormsButton } from './forms/FormsButton.tsx';
import { ModelManager } from './models/ModelManager.tsx';
import { translate, type Language, type MessageKey } from './i18n.ts';
import { createDesignerModeler, refreshModelerLanguage } from './modeler/create-modeler.ts';
import { elementLabel, selectDiagramElement } from './modeler/diagram-elements.ts';
import { explainImportError } from './modeler/import-problem.ts';
import { watchReadOnly } from './modeler/read-only.ts';
import { exposeModeler } from './modeler/test-hook.ts';
import type { LanguageHolder } from './modeler/translate-vi.ts';
import { watchViewTools, type DesignerZoom, type ViewTools } from './modeler/view-tools.ts';
import { ViewToolButtons } from './modeler/ViewToolButtons.tsx';
import { ZoomControls } from './modeler/ZoomControls.tsx';
import { InspectorTabs } from './InspectorTabs.tsx';
import { errorsOf } from './checks/live-checks.ts';
import { useModelLifecycle, type OpenModel } from './versions/use-model-lifecycle.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { SUMMARY_LABELS } from '../../server/reports/catalogue-summary-report.ts';
import type { DesignerAccess } from './session/access.ts';
import { AccountMenu } from './session/AccountMenu.tsx';
import type { Account } from './session/session-api.ts';

// Loaded when first opened: recharts and the differ stay out of the modeler's start-up.
const CompareView = lazy(() => import('./compare/CompareView.tsx').then((module) => ({ default: module.CompareView })));
const CatalogueSummaryDialog = lazy(() => import('./catalogue-summary/CatalogueSummaryDialog.tsx').then((module) => ({ default: module.CatalogueSummaryDialog })));

const blankModel = (language: Language): OpenModel => ({ id: undefined, version: undefined, name: translate(language, 'untitled'), stage: 'to-be' });

interface AppProps {
  language: Language;
  onLanguageChange: (language: Language) => void;
  /** Who is signed in (designer/src/session/SessionGate.tsx). */
  account: Account;
  /** 'view' (an analyst): everything but saving and deploying. */
  access: Exclude<DesignerAccess, 'none'>;
  onSignOut: (everywhere: boolean) => Promise<void>;
}

export function App({ language, onLanguageChange: setLanguage, account, access, onSignOut }: AppProps) {
  const readOnly = access === 'view';
  const t = useCallback((key: MessageKey) => translate(language, key), [language]);
  const canvasRef = useRef<HTMLDivElement>(null);
  const propertiesRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<Modeler | null>(null);
  // bpmn-js reads the language through this holder, so a switch keeps the diagram and its undo history.
  const languageRef = useRef<LanguageHolder>({ current: language });
  const [model, setModel] = useState<OpenModel>(() => blankModel(language));
  const [health, setHealth] = useState<Health | 'unreachable' | undefined>();
  const [savedModels, setSavedModels] = useState<ModelSummary[]>([]);
  const [catalogue, setCatalogue] = useState<CatalogueProcedure[]>([]);
  const [status, setStatus] = useState<{ text: string; error: boolean } | undefined>();
  const [cost, setCost] = useState<LiveCostState>({ status: 'idle' });
  const [comparing, setComparing] = useState(false);
  const [summarising, setSummarising] = useState(false);
  const [checks, setChecks] = useState<ChecksState>(initialChecks);
  const [tools, setTools] = useState<ViewTools>({ simulation: false, minimap: false, zoom: 1 });
  // A file that did not open, explained in the language shown (modeler/import-problem.ts).
  const [importFailure, setImportFailure] = useState<{ file: string; error: unknown } | undefined>();
  const [inspectorTab, setInspectorTab] = useState<'properties' | 'checks'>('properties');
  const fileInputRef = useRef<HTMLInputElement>(null);

  const report = (text: string, error = false) => setStatus({ text, error });
  const refreshModels = useCallback(() => {
    api.listModels(language).then(setSavedModels, (error: unknown) => report(String(error), true));
  }, [language]);
  // Versions, drafts, unsaved-change guard and templates (designer/src/versions/use-model-lifecycle.tsx).
  const lifecycle = useModelLifecycle({ modelerRef, model, setModel, language, catalogue, readOnly, report, fitToView: () => fitToView(), openLatest: (id) => openStored(id), onSaved: refreshModels });
  // An earlier version is read-only until restored: no palette, context pad, edits, save or deployment.
  const oldVersion = lifecycle.viewing !== undefined;
  const oldVersionRef = useRef(oldVersion);
  oldVersionRef.current = oldVersion;
  const [deployments, setDeployments] = useState(0);
  const [managing, setManaging] = useState(false);

  useEffect(() => {
    if (!canvasRef.current || !propertiesRef.current) return;
    const modeler = createDesignerModeler({ canvas: canvasRef.current, propertiesPanel: propertiesRef.current, language: languageRef.current });
    modelerRef.current = modeler;
    let disposed = false;
    const stopLiveCost = watchLiveCost(modeler, setCost);
    const stopChecks = watchChecks(modeler, () => languageRef.current.current, setChecks);
    const stopViewTools = watchViewTools(modeler, setTools);
    const stopLifecycle = lifecycle.attach(modeler);
    const stopReadOnly = watchReadOnly(modeler, () => oldVersionRef.current);
    const hideModeler = exposeModeler(modeler);
    modeler.createDiagram().catch((error: unknown) => {
      // An import cut short by unmounting (React StrictMode mounts twice) is not an error.
      if (!disposed) setStatus({ text: error instanceof Error ? error.message : String(error), error: true });
    });
    return () => {
      disposed = true;
      stopLiveCost();
      stopChecks();
      stopViewTools();
      stopLifecycle();
      stopReadOnly();
      hideModeler();
      modeler.destroy();
      modelerRef.current = null;
    };
  }, []);

  useEffect(() => {
    languageRef.current.current = language;
    if (modelerRef.current && canvasRef.current) refreshModelerLanguage(modelerRef.current, canvasRef.current);
  }, [language]);

  useEffect(() => {
    modelerRef.current?.get<CheckMarkers>('checkMarkers').show(checks.findings ?? [], language);
  }, [checks.findings, language]);

  useEffect(() => {
    api.health(language).then(setHealth, () => setHealth('unreachable'));
    refreshModels();
  }, [language, refreshModels]);

  // The list refused while the session had ended is read again once signed in.
  useEffect(() => onSessionRenewed(refreshModels), [refreshModels]);

  useEffect(() => {
    api.catalogue(language).then(setCatalogue, () => setCatalogue([]));
  }, [language]);

  /** A model just opened: the whole of it in view (modeler/view-tools.ts). */
  const fitToView = () => modelerRef.current?.get<DesignerZoom>('designerZoom').fit();

  /** A model opened: no problem of a file tried before it stays on screen. */
  const opened = (text: string) => {
    setImportFailure(undefined);
    report(text);
  };

  const currentXml = async (): Promise<string> => {
    const { xml } = await modelerRef.current!.saveXML({ format: true });
    if (!xml) throw new Error('bpmn-js returned no XML');
    return xml;
  };

  const openFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file || !(await lifecycle.mayReplaceDiagram())) return;
    try {
      await modelerRef.current!.importXML(await file.text());
      fitToView();
      // The catalogue names its files as-is.bpmn and to-be.bpmn (Circular 01 Art. 16–17).
      setModel({ id: undefined, version: undefined, name: file.name.replace(/\.(bpmn|xml)$/i, ''), stage: /as-?is/i.test(file.name) ? 'as-is' : 'to-be' });
      lifecycle.showingLatest();
      opened(`${t('opened')} ${file.name}`);
    } catch (error) {
      setImportFailure({ file: file.name, error });
      report(`${t('importUnreadable')} ${file.name}`, true);
    }
  };

  const openCatalogue = async (choice: string) => {
    const [id, stage] = choice.split('|') as [string, OpenModel['stage']];
    const procedure = catalogue.find((candidate) => candidate.id === id);
    if (!(await lifecycle.mayReplaceDiagram())) return;
    try {
      await modelerRef.current!.importXML(await api.catalogueModel(id, stage, language));
      fitToView();
      const name = `${procedure?.name[language] ?? id} (${t(stage === 'as-is' ? 'catalogueAsIs' : 'catalogueToBe')})`;
      setModel({ id: undefined, version: undefined, name, stage, catalogueId: id });
      lifecycle.showingLatest();
      opened(`${t('opened')} ${name}`);
    } catch (error) {
      report(error instanceof Error ? error.message : String(error), true);
    }
  };

  const openStored = async (id: string) => {
    if (!(await lifecycle.mayReplaceDiagram())) return;
    try {
      const stored = await api.getModel(id, language);
      await modelerRef.current!.importXML(stored.xml);
      fitToView();
      setModel({ id: stored.id, version: stored.version, name: stored.name, stage: stored.stage });
      lifecycle.showingLatest();
      opened(`${t('opened')} ${stored.name} (${t('version')} ${stored.version})`);
    } catch (error) {
      report(error instanceof Error ? error.message : String(error), true);
    }
  };

  const downloadBpmn = async () => download(fileNameFor(model.name, 'bpmn'), await currentXml(), 'application/xml');
  const downloadSvg = async () => {
    const { svg } = await modelerRef.current!.saveSVG();
    download(fileNameFor(model.name, 'svg'), svg, 'image/svg+xml');
  };
  const downloadPng = async () => {
    const { svg } = await modelerRef.current!.saveSVG();
    download(fileNameFor(model.name, 'png'), await svgToPng(svg), 'image/png');
  };

  /** Unsaved changes are let go only when the user says so (and their draft with them). */
  const signOut = async (everywhere: boolean) => {
    if (!(await lifecycle.mayReplaceDiagram())) return;
    await onSignOut(everywhere).catch((error: unknown) => report(error instanceof Error ? error.message : String(error), true));
  };

  const selectElement = (elementId: string) => modelerRef.current && selectDiagramElement(modelerRef.current, elementId);
  const labelOf = (elementId: string) => (modelerRef.current ? elementLabel(modelerRef.current, elementId, language) : elementId);

  const databaseLabel =
    health === undefined ? '…' : health === 'unreachable' ? t('serverUnreachable') : health.database.status === 'up' ? t('databaseUp') : t('databaseDown');

  return (
    <div className="app">
      <header className="toolbar">
        <strong className="brand">Quy Trình</strong>
        <span className="subtitle">{t('title')}</span>
        {lifecycle.templateMenu}
        {/* A button, so Tab reaches it and Enter or Space opens the file chooser; the input stays hidden. */}
        <button type="button" onClick={() => fileInputRef.current?.click()}>
          {t('openFile')}
        </button>
        <input ref={fileInputRef} type="file" accept=".bpmn,.xml" hidden tabIndex={-1} aria-hidden="true" onChange={(event) => void openFile(event)} />
        <select aria-label={t('catalogue')} className="catalogue" value="" onChange={(event) => void openCatalogue(event.target.value)}>
          <option value="" disabled>
            {t('catalogue')}…
          </option>
          {catalogue.map((procedure) => (
            <optgroup key={procedure.id} label={procedure.name[language]}>
              <option value={`${procedure.id}|as-is`}>{`${procedure.name[language]} — ${t('catalogueAsIs')}`}</option>
              <option value={`${procedure.id}|to-be`}>{`${procedure.name[language]} — ${t('catalogueToBe')}`}</option>
            </optgroup>
          ))}
        </select>
        {/* A disabled button shows no tooltip of its own in every browser: the span carries it. */}
        <span title={readOnly ? t('readOnlyRole') : oldVersion ? t('oldVersionReadOnly') : undefined}>
          <button type="button" className="primary" disabled={readOnly || oldVersion} onClick={lifecycle.startSave}>{t('save')}</button>
        </span>
        {/* One group for the three exports, each named in full for screen readers: the toolbar keeps to one line at 1366 px. */}
        <span className="button-group" role="group" aria-label={t('download')}>
          <span className="group-label">{t('download')}</span>
          <button type="button" aria-label={t('downloadBpmn')} title={t('downloadBpmn')} onClick={() => void downloadBpmn()}>BPMN</button>
          <button type="button" aria-label={t('downloadSvg')} title={t('downloadSvg')} onClick={() => void downloadSvg()}>SVG</button>
          <button type="button" aria-label={t('downloadPng')} title={t('downloadPng')} onClick={() => void downloadPng()}>PNG</button>
        </span>
        <button type="button" aria-pressed={comparing} onClick={() => setComparing(!comparing)}>{t('compare')}</button>
        {/* The sign of a sum, named in full for screen readers and the tooltip: the toolbar has no room for words at 1366 px. */}
        <button type="button" aria-haspopup="dialog" aria-label={SUMMARY_LABELS.title[language]} title={SUMMARY_LABELS.title[language]} onClick={() => setSummarising(true)}>
          {SUMMARY_LABELS.button[language]}
        </button>
        <ViewToolButtons tools={tools} language={language} modeler={() => modelerRef.current} />
        <span className="spacer" />
        <AccountMenu language={language} account={account} onSignOut={(everywhere) => void signOut(everywhere)} />
        <LanguageSwitch language={language} onChange={setLanguage} />
      </header>
      {comparing ? <Suspense fallback={<main className="compare muted">{t('compareComputing')}</main>}><CompareView language={language} catalogue={catalogue} savedModels={savedModels} openModel={model} openModelXml={currentXml} onClose={() => setComparing(false)} /></Suspense> : null}
      {/* Hidden, not unmounted, while comparing: the modeler keeps the open model and its undo history. */}
      <main className="workspace" hidden={comparing}>
        <aside className="sidebar">
          <h2>{t('savedModels')}</h2>
          <button type="button" className="manage-models" onClick={() => setManaging(true)}>{t('manageModels')}</button>
          {savedModels.length === 0 ? <p className="muted">{t('noSavedModels')}</p> : null}
          <ul>
            {savedModels.map((saved) => (
              <li key={saved.id}>
                <button type="button" className={saved.id === model.id ? 'link current' : 'link'} onClick={() => void openStored(saved.id)}>
                  {saved.name}
                </button>
                <span className="muted"> · {t(saved.stage === 'as-is' ? 'stageAsIs' : 'stageToBe')} · {t('version')} {saved.latestVersion}</span>
              </li>
            ))}
          </ul>
          {lifecycle.versionsPanel}
          {model.id !== undefined && model.stage === 'to-be' ? (
            <DeploymentsPanel language={language} modelId={model.id} refresh={deployments} readOnly={readOnly} report={report} onDeployed={() => setDeployments((count) => count + 1)} />
          ) : null}
        </aside>
        <div className="canvas-column">
          {/* The model's name and stage over the canvas, the name at the canvas's width so that a long one shows whole. */}
          <div className="model-header">
            {/* One line of text, wrapping onto a second rather than cut off when long (designer.css: field-sizing). */}
            <textarea
              aria-label={t('modelName')}
              className="model-name"
              rows={1}
              value={model.name}
              onKeyDown={(event) => event.key === 'Enter' && event.preventDefault()}
              onChange={(event) => setModel({ ...model, name: event.target.value.replace(/\s*\n\s*/g, ' ') })}
            />
            {lifecycle.dirtyMark}
            <span title={model.id !== undefined ? t('stageLocked') : undefined}>
              <select aria-label={t('stage')} className="stage" value={model.stage} disabled={model.id !== undefined} onChange={(event) => setModel({ ...model, stage: event.target.value as OpenModel['stage'] })}>
                <option value="as-is">{t('stageAsIs')}</option>
                <option value="to-be">{t('stageToBe')}</option>
              </select>
            </span>
          </div>
          {lifecycle.banners}
          {importFailure ? (
            <div className="banner import-error" role="alert" data-testid="import-error">
              <strong>
                {t('importUnreadable')} {importFailure.file}:
              </strong>{' '}
              <span>{explainImportError(importFailure.error, language).explanation}</span>
              <details>
                <summary>{t('importTechnical')}</summary>
                <code>{explainImportError(importFailure.error, language).technical}</code>
              </details>
              <button type="button" onClick={() => setImportFailure(undefined)}>
                {t('close')}
              </button>
            </div>
          ) : null}
          <div className="canvas-frame">
            <div className={oldVersion ? 'canvas read-only' : 'canvas'} ref={canvasRef} data-testid="canvas" />
            <ZoomControls zoom={tools.zoom} language={language} modeler={() => modelerRef.current} />
          </div>
        </div>
        <aside className="inspector">
          <CostPanel state={cost} language={language} onSelectElement={selectElement} />
          <InspectorTabs
            label={t('inspectorTabs')}
            selected={inspectorTab}
            onSelect={setInspectorTab}
            tabs={[
              {
                id: 'properties',
                label: t('properties'),
                content: (
                  <>
                    <FormsButton language={language} modeler={() => modelerRef.current} readOnly={readOnly} />
                    {/* bpmn-js-properties-panel renders itself (preact) into this element; React leaves it empty. */}
                    <div className={oldVersion ? 'properties read-only' : 'properties'} ref={propertiesRef} aria-label={t('properties')} data-testid="properties-panel" inert={oldVersion} />
                  </>
                ),
              },
              {
                id: 'checks',
                label: (
                  <>
                    {t('checksAndDeployment')}
                    {errorsOf(checks.findings).length > 0 ? <span className="tab-count error"> {errorsOf(checks.findings).length}</span> : null}
                  </>
                ),
                // The checks and the deployment they gate, together.
                content: (
                  <>
                    <ChecksPanel state={checks} language={language} onSelectElement={selectElement} labelOf={labelOf} />
                    <DeployPanel checks={checks} stage={model.stage} readOnly={readOnly} language={language} model={model} viewingOld={oldVersion} dirty={lifecycle.dirty} onSelectElement={selectElement} onDeployed={() => setDeployments((count) => count + 1)} />
                  </>
                ),
              },
            ]}
          />
        </aside>
      </main>
      <footer className="statusbar">
        <span className={status?.error ? 'error' : ''} role="status">{status?.text ?? ''}</span>
        <span className="spacer" />
        <span>{databaseLabel}</span>
        {health !== undefined && health !== 'unreachable' ? <span className="muted"> · v{health.version}</span> : null}
      </footer>
      {lifecycle.dialogs}
      {summarising ? <Suspense fallback={null}><CatalogueSummaryDialog language={language} onLanguageChange={setLanguage} onClose={() => setSummarising(false)} /></Suspense> : null}
      {managing ? (
        <ModelManager
          language={language}
          readOnly={readOnly}
          onOpen={(id) => {
            setManaging(false);
            void openStored(id);
          }}
          onChanged={refreshModels}
          onClose={() => setManaging(false)}
        />
      ) : null}
    </div>
  );
}
