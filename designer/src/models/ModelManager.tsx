import { useEffect, useRef, useState } from 'react';
import { api, ProblemError, type ModelSummary } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { rememberedAuthor } from '../versions/author.ts';

interface ModelManagerProps {
  language: Language;
  /** An analyst opens and searches; only staff rename, duplicate and bin. */
  readOnly: boolean;
  onOpen: (id: string) => void;
  /** Something was renamed, copied, binned or restored: the sidebar's list reads it again. */
  onChanged: () => void;
  onClose: () => void;
}

/**
 * The models as a staff member manages them (docs/models.md): searched by name without the need
 * for accents ("dang ky" finds "Đăng ký"), opened, renamed, duplicated, moved to the bin and back.
 * The server refuses a name already taken (409), and says which model has it.
 */
export function ModelManager({ language, readOnly, onOpen, onChanged, onClose }: ModelManagerProps) {
  const t = (key: MessageKey) => translate(language, key);
  const [search, setSearch] = useState('');
  const [bin, setBin] = useState(false);
  // The list with the view it was read for: while the bin's list is on its way, the other's rows are not shown with the bin's buttons.
  const [listed, setListed] = useState<{ bin: boolean; items: ModelSummary[] } | undefined>();
  const models = listed?.bin === bin ? listed.items : undefined;
  const [editing, setEditing] = useState<{ id: string; mode: 'rename' | 'duplicate'; name: string } | undefined>();
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>();
  const [reload, setReload] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => searchRef.current?.focus(), []);

  useEffect(() => {
    let current = true;
    // Each keystroke asks again; an answer overtaken by the next is dropped.
    api.searchModels(search, bin, language).then(
      (page) => current && setListed({ bin, items: page.items }),
      (error: unknown) => current && setMessage({ text: String(error), error: true }),
    );
    return () => {
      current = false;
    };
  }, [search, bin, language, reload]);

  const act = async (work: () => Promise<string>) => {
    try {
      setMessage({ text: await work(), error: false });
      setEditing(undefined);
      setReload((count) => count + 1);
      onChanged();
    } catch (error) {
      setMessage({ text: error instanceof ProblemError ? error.text(language) : String(error), error: true });
    }
  };

  const submitEdit = (model: ModelSummary) => {
    if (!editing) return;
    const name = editing.name.trim();
    if (editing.mode === 'rename') return act(async () => `${t('modelRenamed')} “${(await api.renameModel(model.id, name, language)).name}”`);
    const author = rememberedAuthor(localStorage);
    return act(async () => {
      await api.duplicateModel(model.id, { name, stage: model.stage, ...(author ? { author } : {}) }, language);
      return `${t('modelDuplicated')} “${name}”`;
    });
  };

  return (
    <div className="modal-backdrop" onKeyDown={(event) => event.key === 'Escape' && (editing ? setEditing(undefined) : onClose())}>
      <div className="modal model-manager" role="dialog" aria-modal="true" aria-labelledby="models-title">
        <h2 id="models-title">{t('modelsDialogTitle')}</h2>
        <div className="manager-search">
          <input ref={searchRef} type="search" aria-label={t('modelsSearch')} placeholder={t('modelsSearch')} value={search} onChange={(event) => setSearch(event.target.value)} />
          <label>
            <input type="checkbox" checked={bin} onChange={(event) => setBin(event.target.checked)} /> {t('modelsBin')}
          </label>
        </div>
        {models?.length === 0 ? <p className="muted">{t('modelsNone')}</p> : null}
        <ul aria-label={t('modelsDialogTitle')}>
          {(models ?? []).map((model) => (
            <li key={model.id} data-model-id={model.id}>
              {editing?.id === model.id ? (
                <form
                  className="model-title"
                  onSubmit={(event) => {
                    event.preventDefault();
                    void submitEdit(model);
                  }}
                >
                  <input aria-label={t('modelNewName')} value={editing.name} autoFocus maxLength={500} onChange={(event) => setEditing({ ...editing, name: event.target.value })} />{' '}
                  <button type="submit" className="primary">{t(editing.mode === 'rename' ? 'modelRename' : 'modelDuplicate')}</button>{' '}
                  <button type="button" onClick={() => setEditing(undefined)}>{t('cancel')}</button>
                </form>
              ) : (
                <span className="model-title">
                  <strong>{model.name}</strong>
                  <span className="muted">
                    {' '}
                    · {t(model.stage === 'as-is' ? 'stageAsIs' : 'stageToBe')} · {t('version')} {model.latestVersion} · {formatDateTime(model.updatedAt)}
                  </span>
                </span>
              )}
              {bin ? (
                <button type="button" disabled={readOnly} onClick={() => void act(async () => `${t('modelRestored')} “${(await api.restoreModel(model.id, language)).name}”`)}>
                  {t('modelFromBin')}
                </button>
              ) : editing?.id === model.id ? null : (
                <>
                  <button type="button" className="primary" onClick={() => onOpen(model.id)}>{t('modelOpen')}</button>
                  <button type="button" disabled={readOnly} onClick={() => setEditing({ id: model.id, mode: 'rename', name: model.name })}>{t('modelRename')}</button>
                  <button type="button" disabled={readOnly} onClick={() => setEditing({ id: model.id, mode: 'duplicate', name: `${model.name} ${t('modelCopySuffix')}` })}>{t('modelDuplicate')}</button>
                  <button
                    type="button"
                    disabled={readOnly}
                    title={t('modelOtherStageHint')}
                    onClick={() => void act(async () => {
                      const stage = model.stage === 'as-is' ? 'to-be' : 'as-is';
                      const author = rememberedAuthor(localStorage);
                      await api.duplicateModel(model.id, { name: model.name, stage, ...(author ? { author } : {}) }, language);
                      return `${t('modelDuplicated')} “${model.name}” (${t(stage === 'as-is' ? 'stageAsIs' : 'stageToBe')})`;
                    })}
                  >
                    {t(model.stage === 'as-is' ? 'modelMakeToBe' : 'modelMakeAsIs')}
                  </button>
                  <button type="button" disabled={readOnly} aria-label={`${t('modelToBin')}: ${model.name}`} title={t('modelToBin')} onClick={() => void act(async () => `${t('modelBinned')}: “${(await api.binModel(model.id, language)).name}”`)}>
                    {t('modelDelete')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
        {message ? (
          <p className={message.error ? 'error' : 'deploy-result'} role="status" data-testid="manager-message">
            {message.text}
          </p>
        ) : null}
        <div className="modal-buttons">
          <button type="button" onClick={onClose}>{t('close')}</button>
        </div>
      </div>
    </div>
  );
}
