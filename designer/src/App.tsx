import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import Modeler from 'bpmn-js/lib/Modeler';
import { api, type Health, type ModelSummary } from './api.ts';
import { download, fileNameFor } from './download.ts';
import { translate, type Language, type MessageKey } from './i18n.ts';

interface OpenModel {
  id: string | undefined;
  version: number | undefined;
  name: string;
  stage: 'as-is' | 'to-be';
}

const blankModel = (language: Language): OpenModel => ({ id: undefined, version: undefined, name: translate(language, 'untitled'), stage: 'to-be' });

export function App() {
  const [language, setLanguage] = useState<Language>('vi');
  const t = useCallback((key: MessageKey) => translate(language, key), [language]);
  const canvasRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<Modeler | null>(null);
  const [model, setModel] = useState<OpenModel>(() => blankModel('vi'));
  const [health, setHealth] = useState<Health | 'unreachable' | undefined>();
  const [savedModels, setSavedModels] = useState<ModelSummary[]>([]);
  const [status, setStatus] = useState<{ text: string; error: boolean } | undefined>();

  const report = (text: string, error = false) => setStatus({ text, error });
  const refreshModels = useCallback(() => {
    api.listModels(language).then(setSavedModels, (error: unknown) => report(String(error), true));
  }, [language]);

  useEffect(() => {
    if (!canvasRef.current) return;
    const modeler = new Modeler({ container: canvasRef.current });
    modelerRef.current = modeler;
    let disposed = false;
    modeler.createDiagram().catch((error: unknown) => {
      // An import cut short by unmounting (React StrictMode mounts twice) is not an error.
      if (!disposed) setStatus({ text: error instanceof Error ? error.message : String(error), error: true });
    });
    return () => {
      disposed = true;
      modeler.destroy();
      modelerRef.current = null;
    };
  }, []);

  useEffect(() => {
    api.health(language).then(setHealth, () => setHealth('unreachable'));
    refreshModels();
  }, [language, refreshModels]);

  const currentXml = async (): Promise<string> => {
    const { xml } = await modelerRef.current!.saveXML({ format: true });
    if (!xml) throw new Error('bpmn-js returned no XML');
    return xml;
  };

  const newDiagram = async () => {
    await modelerRef.current?.createDiagram();
    setModel(blankModel(language));
    setStatus(undefined);
  };

  const openFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      await modelerRef.current!.importXML(await file.text());
      setModel({ id: undefined, version: undefined, name: file.name.replace(/\.(bpmn|xml)$/i, ''), stage: 'to-be' });
      report(`${t('opened')} ${file.name}`);
    } catch (error) {
      report(error instanceof Error ? error.message : String(error), true);
    }
  };

  const openStored = async (id: string) => {
    try {
      const stored = await api.getModel(id, language);
      await modelerRef.current!.importXML(stored.xml);
      setModel({ id: stored.id, version: stored.version, name: stored.name, stage: stored.stage });
      report(`${t('opened')} ${stored.name} (${t('version')} ${stored.version})`);
    } catch (error) {
      report(error instanceof Error ? error.message : String(error), true);
    }
  };

  const save = async () => {
    try {
      const xml = await currentXml();
      const saved =
        model.id === undefined || model.version === undefined
          ? await api.createModel({ name: model.name, stage: model.stage, xml }, language)
          : await api.saveVersion(model.id, { xml, baseVersion: model.version }, language);
      setModel({ ...model, id: saved.id, version: saved.version });
      report(`${t('savedAs')} ${saved.version}`);
      refreshModels();
    } catch (error) {
      report(error instanceof Error ? error.message : String(error), true);
    }
  };

  const downloadBpmn = async () => download(fileNameFor(model.name, 'bpmn'), await currentXml(), 'application/xml');
  const downloadSvg = async () => {
    const { svg } = await modelerRef.current!.saveSVG();
    download(fileNameFor(model.name, 'svg'), svg, 'image/svg+xml');
  };

  const databaseLabel =
    health === undefined ? '…' : health === 'unreachable' ? t('serverUnreachable') : health.database.status === 'up' ? t('databaseUp') : t('databaseDown');

  return (
    <div className="app">
      <header className="toolbar">
        <strong className="brand">Quy Trình</strong>
        <span className="subtitle">{t('title')}</span>
        <input aria-label={t('modelName')} className="model-name" value={model.name} onChange={(event) => setModel({ ...model, name: event.target.value })} />
        <select aria-label="stage" value={model.stage} disabled={model.id !== undefined} onChange={(event) => setModel({ ...model, stage: event.target.value as OpenModel['stage'] })}>
          <option value="as-is">{t('stageAsIs')}</option>
          <option value="to-be">{t('stageToBe')}</option>
        </select>
        <button type="button" onClick={() => void newDiagram()}>{t('newDiagram')}</button>
        <label className="button">
          {t('openFile')}
          <input type="file" accept=".bpmn,.xml" hidden onChange={(event) => void openFile(event)} />
        </label>
        <button type="button" className="primary" onClick={() => void save()}>{t('save')}</button>
        <button type="button" onClick={() => void downloadBpmn()}>{t('downloadBpmn')}</button>
        <button type="button" onClick={() => void downloadSvg()}>{t('downloadSvg')}</button>
        <span className="spacer" />
        <button type="button" className="link" onClick={() => setLanguage(language === 'vi' ? 'en' : 'vi')}>{t('language')}</button>
      </header>
      <main className="workspace">
        <aside className="sidebar">
          <h2>{t('savedModels')}</h2>
          {savedModels.length === 0 ? <p className="muted">{t('noSavedModels')}</p> : null}
          <ul>
            {savedModels.map((saved) => (
              <li key={saved.id}>
                <button type="button" className={saved.id === model.id ? 'link current' : 'link'} onClick={() => void openStored(saved.id)}>
                  {saved.name}
                </button>
                <span className="muted"> · {saved.stage} · {t('version')} {saved.latestVersion}</span>
              </li>
            ))}
          </ul>
        </aside>
        <div className="canvas" ref={canvasRef} data-testid="canvas" />
      </main>
      <footer className="statusbar">
        <span className={status?.error ? 'error' : ''} role="status">{status?.text ?? ''}</span>
        <span className="spacer" />
        <span>{databaseLabel}</span>
        {health !== undefined && health !== 'unreachable' ? <span className="muted"> · v{health.version}</span> : null}
      </footer>
    </div>
  );
}
