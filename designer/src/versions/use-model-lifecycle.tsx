/**
 * The open model's lifecycle, as a Camunda Modeler user expects it: every save a new version with
 * a comment and an author; the history listed, an earlier version viewed and restored; unsaved
 * changes marked, warned about on leaving, kept as a draft through a crash and confirmed before
 * another diagram replaces them; new diagrams from a template. App renders what this returns.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type Modeler from 'bpmn-js/lib/Modeler';
import { api, type CatalogueProcedure, type SaveNote, type VersionInfo } from '../api.ts';
import { useConfirm } from '../dialogs/ConfirmDialog.tsx';
import { trackChanges, type ChangeTracker } from '../drafts/change-tracker.ts';
import { DraftBanner } from '../drafts/DraftBanner.tsx';
import { clearDraft, readDraft, type Draft, type DraftIdentity } from '../drafts/draft-store.ts';
import { formatDateTime } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { TemplateMenu } from '../templates/TemplateMenu.tsx';
import { templateModel, type TemplateChoice, type TemplateModel } from '../templates/templates.ts';
import { rememberedAuthor } from './author.ts';
import { SaveDialog } from './SaveDialog.tsx';
import { VersionsPanel, ViewingBanner } from './VersionsPanel.tsx';

export interface OpenModel {
  id: string | undefined;
  /** The latest stored version (a save goes on top of it), even while an earlier one is viewed. */
  version: number | undefined;
  name: string;
  stage: 'as-is' | 'to-be';
  /** The catalogue procedure the model was opened from, if any: the compare view opens on its pair. */
  catalogueId?: string | undefined;
}

export interface ModelLifecycleOptions {
  modelerRef: RefObject<Modeler | null>;
  model: OpenModel;
  setModel: (model: OpenModel) => void;
  language: Language;
  catalogue: CatalogueProcedure[];
  /** An analyst's designer: nothing is saved (the server would answer 403), so no save is offered. */
  readOnly: boolean;
  report: (text: string, error?: boolean) => void;
  /** After an import: the whole diagram in view. */
  fitToView: () => void;
  /** Opens a stored model at its latest version. */
  openLatest: (id: string) => Promise<void>;
  /** A version was stored. */
  onSaved: () => void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function useModelLifecycle(options: ModelLifecycleOptions) {
  const { modelerRef, model, setModel, language, readOnly, report } = options;
  const t = (key: MessageKey) => translate(language, key);
  const trackerRef = useRef<ChangeTracker | null>(null);
  const identityRef = useRef<DraftIdentity>({ modelId: model.id, baseVersion: model.version, name: model.name, stage: model.stage });
  identityRef.current = { modelId: model.id, baseVersion: model.version, name: model.name, stage: model.stage };
  const [dirty, setDirty] = useState(false);
  const [versions, setVersions] = useState<VersionInfo[]>([]);
  const [viewing, setViewing] = useState<number | undefined>();
  // An earlier version is read-only until restored: Ctrl+S, which listens once, reads it here.
  const viewingRef = useRef(viewing);
  viewingRef.current = viewing;
  const [saving, setSaving] = useState(false);
  const [pendingDraft, setPendingDraft] = useState<Draft | undefined>(() => readDraft(localStorage));
  const confirm = useConfirm();

  /** Called once the modeler exists; the returned function stops watching. */
  const attach = useCallback((modeler: Modeler) => {
    const tracker = (trackerRef.current = trackChanges(modeler, { onDirtyChange: setDirty, identity: () => identityRef.current, storage: localStorage }));
    return () => tracker.dispose();
  }, []);

  useEffect(() => {
    if (model.id === undefined) return setVersions([]);
    let current = true;
    api.listVersions(model.id, language).then(
      (listed) => current && setVersions(listed),
      (error: unknown) => report(message(error), true),
    );
    return () => {
      current = false;
    };
  }, [model.id, model.version, language]);

  // The browser's own warning on leaving while changes are unsaved (the draft is kept as well).
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // Ctrl+S saves, as in every editor.
  useEffect(() => {
    const saveKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        if (!readOnly && viewingRef.current === undefined) setSaving(true);
      }
    };
    window.addEventListener('keydown', saveKey);
    return () => window.removeEventListener('keydown', saveKey);
  }, [readOnly]);

  /** Before another diagram replaces the open one: unsaved changes are dropped only when the user says so. */
  const mayReplaceDiagram = async (): Promise<boolean> => {
    if (!trackerRef.current?.isDirty()) return true;
    const yes = await confirm.ask({ title: t('confirmDiscardTitle'), text: `“${model.name}”: ${t('confirmDiscardText')}`, confirm: t('confirmDiscard'), cancel: t('cancel') });
    if (yes) trackerRef.current?.discard();
    return yes;
  };

  /** Once unsaved changes are let go: puts `xml` (or bpmn-js's blank diagram) on the canvas. */
  const replaceDiagram = async (load: () => Promise<string | undefined>, then: () => void) => {
    if (!(await mayReplaceDiagram())) return;
    try {
      const xml = await load();
      if (xml === undefined) await modelerRef.current!.createDiagram();
      else await modelerRef.current!.importXML(xml);
      options.fitToView();
      then();
    } catch (error) {
      report(message(error), true);
    }
  };

  const openTemplate = (choice: TemplateChoice) => {
    let template: TemplateModel | undefined;
    return replaceDiagram(
      async () => (template = await templateModel(choice, options.catalogue, language)).xml,
      () => {
        setModel({ id: undefined, version: undefined, name: template!.name, stage: template!.stage });
        setViewing(undefined);
        report(`${t('opened')} ${template!.name}`);
      },
    );
  };

  const openVersion = (version: number) => {
    const id = model.id;
    if (id === undefined) return;
    if (version === model.version) return options.openLatest(id);
    return replaceDiagram(
      async () => (await api.getVersion(id, version, language)).xml,
      () => {
        setViewing(version);
        report(`${t('opened')} ${t('version')} ${version}`);
      },
    );
  };

  const recoverDraft = (draft: Draft) =>
    replaceDiagram(
      () => Promise.resolve(draft.xml),
      () => {
        setModel({ id: draft.modelId, version: draft.baseVersion, name: draft.name, stage: draft.stage });
        setViewing(undefined);
        setPendingDraft(undefined);
        // Still not stored: it stays dirty (and autosaved) until the user saves it.
        trackerRef.current!.markDirty();
        report(`${t('draftRecovered')} (${formatDateTime(draft.savedAt)})`);
      },
    );

  const discardDraft = () => {
    setPendingDraft(undefined);
    // While the open diagram is dirty, the stored draft is already its own.
    if (!trackerRef.current?.isDirty()) clearDraft(localStorage);
  };

  /** Stores the canvas as the model's next version (its first for a new model); the version number, or nothing on failure. */
  const save = async (note: SaveNote): Promise<number | undefined> => {
    setSaving(false);
    try {
      const position = trackerRef.current!.position();
      const { xml } = await modelerRef.current!.saveXML({ format: true });
      if (!xml) throw new Error('bpmn-js returned no XML');
      const saved =
        model.id === undefined || model.version === undefined
          ? await api.createModel({ name: model.name, stage: model.stage, xml, ...note }, language)
          : await api.saveVersion(model.id, { xml, baseVersion: model.version, ...note }, language);
      trackerRef.current!.markClean(position);
      clearDraft(localStorage);
      setModel({ ...model, id: saved.id, version: saved.version });
      setViewing(undefined);
      report(`${t('savedAs')} ${saved.version}`);
      options.onSaved();
      return saved.version;
    } catch (error) {
      report(message(error), true);
      return undefined;
    }
  };

  /** The earlier version on the canvas becomes the latest, as a new version that says where it came from. */
  const restore = async (version: number) => {
    const author = rememberedAuthor(localStorage);
    const saved = await save({ comment: `${t('restoreComment')} ${version}`, ...(author ? { author } : {}) });
    if (saved !== undefined) report(`${t('restoreComment')} ${version} ${t('restoredAs')} ${saved}`);
  };

  const id = model.id;
  return {
    attach,
    mayReplaceDiagram,
    /** Another model is on the canvas at its latest version. */
    showingLatest: () => setViewing(undefined),
    startSave: () => !readOnly && viewing === undefined && setSaving(true),
    /** The earlier version on the canvas (read-only until restored), if one is. */
    viewing,
    /** Whether the canvas differs from the version stored. */
    dirty,
    /** The open model's versions, newest first. */
    versions,
    dirtyMark: dirty ? (
      <span className="dirty" title={t('unsaved')} aria-label={t('unsaved')} data-testid="dirty-indicator">
        ●
      </span>
    ) : null,
    templateMenu: <TemplateMenu language={language} catalogue={options.catalogue} onChoose={(choice) => void openTemplate(choice)} />,
    versionsPanel: id === undefined ? null : <VersionsPanel language={language} versions={versions} shown={viewing ?? model.version} onOpen={(version) => void openVersion(version)} />,
    banners: (
      <>
        {pendingDraft ? <DraftBanner language={language} draft={pendingDraft} onRecover={() => void recoverDraft(pendingDraft)} onDiscard={discardDraft} /> : null}
        {viewing !== undefined && id !== undefined ? (
          <ViewingBanner language={language} version={viewing} readOnly={readOnly} onRestore={() => void restore(viewing)} onBackToLatest={() => void options.openLatest(id)} />
        ) : null}
      </>
    ),
    dialogs: (
      <>
        {saving ? <SaveDialog language={language} nextVersion={(model.version ?? 0) + 1} onSave={(note) => void save(note)} onCancel={() => setSaving(false)} /> : null}
        {confirm.dialog}
      </>
    ) satisfies ReactNode,
  };
}
