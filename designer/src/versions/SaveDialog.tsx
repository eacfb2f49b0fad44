import { useEffect, useRef, useState, type FormEvent } from 'react';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import type { SaveNote } from '../api.ts';
import { rememberAuthor, rememberedAuthor } from './author.ts';

interface SaveDialogProps {
  language: Language;
  /** The version this save will replace as the latest, shown so the user knows what comes next. */
  nextVersion: number;
  onSave: (note: SaveNote) => void;
  onCancel: () => void;
}

/** Asks for the new version's comment and who saves it (remembered), before anything is sent. */
export function SaveDialog({ language, nextVersion, onSave, onCancel }: SaveDialogProps) {
  const t = (key: MessageKey) => translate(language, key);
  const [comment, setComment] = useState('');
  const [author, setAuthor] = useState(() => rememberedAuthor(localStorage));
  const commentRef = useRef<HTMLInputElement>(null);
  useEffect(() => commentRef.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    rememberAuthor(localStorage, author);
    const note: SaveNote = {};
    if (comment.trim()) note.comment = comment.trim();
    if (author.trim()) note.author = author.trim();
    onSave(note);
  };

  return (
    <div className="modal-backdrop" onKeyDown={(event) => event.key === 'Escape' && onCancel()}>
      <form className="modal" role="dialog" aria-modal="true" aria-labelledby="save-title" onSubmit={submit}>
        <h2 id="save-title">
          {t('saveDialogTitle')} <span className="muted">({t('version')} {nextVersion})</span>
        </h2>
        <label className="field">
          {t('saveComment')}
          <input ref={commentRef} value={comment} maxLength={2000} placeholder={t('saveCommentPlaceholder')} onChange={(event) => setComment(event.target.value)} />
        </label>
        <label className="field">
          {t('saveAuthor')}
          <input value={author} maxLength={200} autoComplete="name" onChange={(event) => setAuthor(event.target.value)} />
        </label>
        <div className="modal-buttons">
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary">
            {t('saveConfirm')}
          </button>
        </div>
      </form>
    </div>
  );
}
