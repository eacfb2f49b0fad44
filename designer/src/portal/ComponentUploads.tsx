import { useState, type ChangeEvent } from 'react';
import type { Language } from '../i18n.ts';
import { portalText } from './messages.ts';
import type { ComponentSpec, UploadedComponent } from './portal-api.ts';
import { formatFileSize } from './portal-format.ts';
import { formatDay } from '../format.ts';

/** A file read for upload, with its size to show. */
export interface ChosenFile extends UploadedComponent {
  size: number;
  /** Set when the applicant chose a document of their e-data store instead of a file (Decree 45 Art. 16.4). */
  storedDocumentId?: string;
  storedLabel?: string;
}

interface ComponentUploadsProps {
  language: Language;
  specs: ComponentSpec[];
  chosen: Record<string, ChosenFile>;
  onChange: (name: string, file: ChosenFile | undefined) => void;
  /** Refusals by component name: the server's (`body.components[i]`) or a missing required one. */
  errors: Record<string, string>;
  /** In an amendment nothing is required again: only what the request asks for is uploaded. */
  requireAll: boolean;
}

export const acceptList = (spec: ComponentSpec): string[] => (Array.isArray(spec.accept) ? spec.accept : spec.accept.split(',')).map((entry) => entry.trim()).filter(Boolean);

/** Whether a file is of an accepted kind: by media type (`image/*` too) or by extension. */
function accepted(file: File, accept: string[]): boolean {
  if (accept.length === 0) return true;
  const name = file.name.toLowerCase();
  return accept.some((entry) => {
    const rule = entry.toLowerCase();
    if (rule.startsWith('.')) return name.endsWith(rule);
    if (rule.endsWith('/*')) return file.type.startsWith(rule.slice(0, -1));
    return file.type === rule;
  });
}

/** The file's bytes as base64, as POST /api/dossiers takes them. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve((reader.result as string).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(file.name));
    reader.readAsDataURL(file);
  });
}

/** An accepted kind as a person reads it: PDF, JPEG; "ảnh" for any image. */
function kindName(entry: string, language: Language): string {
  if (entry.startsWith('.')) return entry.slice(1).toUpperCase();
  const [type, subtype = ''] = entry.split('/');
  if (subtype === '*') return language === 'vi' ? `mọi tệp ${type === 'image' ? 'ảnh' : type}` : `any ${type}`;
  return subtype.replace(/^(vnd\.|x-)/, '').toUpperCase();
}

const inputId = (index: number) => `portal-component-${index}`;

/**
 * One file input per component the procedure lists (Decree 45 Art. 9: the dossier's documents).
 * The browser refuses a file of the wrong type or over the size limit at once, in words; the
 * server checks again.
 */
export function ComponentUploads({ language, specs, chosen, onChange, errors, requireAll }: ComponentUploadsProps) {
  const t = (key: Parameters<typeof portalText>[1], values?: Record<string, string | number>) => portalText(language, key, values);
  const [refusals, setRefusals] = useState<Record<string, string>>({});

  const choose = async (spec: ComponentSpec, event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const file = input.files?.[0];
    if (!file) return;
    const accept = acceptList(spec);
    let refusal: string | undefined;
    if (!accepted(file, accept)) refusal = t('wrongType', { file: file.name, accept: accept.map((entry) => kindName(entry, language)).join(', ') });
    else if (file.size > spec.maxBytes) refusal = t('tooLarge', { file: file.name, size: formatFileSize(file.size, language), max: formatFileSize(spec.maxBytes, language) });
    setRefusals((current) => ({ ...current, [spec.name]: refusal ?? '' }));
    if (refusal) {
      input.value = '';
      onChange(spec.name, undefined);
      return;
    }
    onChange(spec.name, { name: spec.name, fileName: file.name, mediaType: file.type || 'application/octet-stream', contentBase64: await readBase64(file), size: file.size });
  };

  if (specs.length === 0) return null;
  return (
    <fieldset className="portal-components">
      <legend>{t('components')}</legend>
      <ol>
        {specs.map((spec, index) => {
          const accept = acceptList(spec);
          const file = chosen[spec.name];
          const message = refusals[spec.name] || errors[spec.name];
          return (
            <li key={spec.name} data-testid="component">
              <label htmlFor={inputId(index)}>
                <strong>{spec.name}</strong> <span className="muted">({spec.required && requireAll ? t('required') : t('optional')})</span>
              </label>
              <div className="portal-component-row">
                <input
                  id={inputId(index)}
                  type="file"
                  accept={accept.join(',')}
                  aria-invalid={message ? true : undefined}
                  aria-describedby={`${inputId(index)}-hint${message ? ` ${inputId(index)}-error` : ''}`}
                  onChange={(event) => void choose(spec, event)}
                />
                {file ? (
                  <span className="portal-file" data-testid={file.storedDocumentId ? 'stored-chosen' : undefined}>
                    {t('chosenFile')}: {file.storedLabel ?? `${file.fileName} (${formatFileSize(file.size, language)})`}{' '}
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        const input = document.getElementById(inputId(index)) as HTMLInputElement | null;
                        if (input) input.value = '';
                        onChange(spec.name, undefined);
                      }}
                    >
                      {t('removeFile')}
                    </button>
                  </span>
                ) : null}
              </div>
              {(spec.stored ?? []).length > 0 && !file?.storedDocumentId ? (
                <ul className="portal-stored">
                  {(spec.stored ?? []).map((offer) => {
                    const label = t('storedDocument', { code: offer.code, validity: offer.validUntil ? t('validUntil', { date: formatDay(offer.validUntil) }) : t('noExpiry') });
                    return (
                      <li key={offer.id}>
                        <button type="button" onClick={() => onChange(spec.name, { name: spec.name, fileName: offer.code, mediaType: 'application/pdf', contentBase64: '', size: 0, storedDocumentId: offer.id, storedLabel: label })}>
                          {t('useStored')}
                        </button>{' '}
                        <span className="muted">{label}</span>
                      </li>
                    );
                  })}
                </ul>
              ) : null}
              <span className="muted portal-hint" id={`${inputId(index)}-hint`}>
                {t('acceptedTypes')}: {accept.map((entry) => kindName(entry, language)).join(', ') || '*'}; {t('maxSize')} {formatFileSize(spec.maxBytes, language)}
              </span>
              {message ? (
                <p className="error portal-field-error" id={`${inputId(index)}-error`} role="alert">
                  {message}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}
