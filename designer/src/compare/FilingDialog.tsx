import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FilingDetails } from '../../../server/reports/restructuring-report.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { formatVietnamDay, parseDay } from '../format.ts';

interface FilingDialogProps {
  language: Language;
  onSubmit: (filing: FilingDetails) => void;
  onCancel: () => void;
}

/** Where the particulars are kept between reports: an agency files many with the same header. */
const STORAGE_KEY = 'quytrinh.report-filing';

const FIELDS: Array<{ key: keyof FilingDetails; label: MessageKey; placeholder?: string }> = [
  { key: 'parentAgency', label: 'filingParentAgency' },
  { key: 'agency', label: 'filingAgency' },
  { key: 'number', label: 'filingNumber' },
  { key: 'place', label: 'filingPlace' },
  { key: 'date', label: 'filingDate', placeholder: 'dd/mm/yyyy' },
  { key: 'signerTitle', label: 'filingSignerTitle' },
  { key: 'signerName', label: 'filingSignerName' },
];

function remembered(): FilingDetails {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, unknown>;
    const kept: FilingDetails = {};
    for (const { key } of FIELDS) {
      const value = stored[key];
      if (typeof value === 'string') kept[key] = value;
    }
    return kept;
  } catch {
    return {};
  }
}

/**
 * The particulars of the filed PDF (Decree 30/2020/ND-CP Appendix I): the issuing agency, number,
 * place and date, and the signer. Each may be left empty: the PDF then leaves a dotted blank to
 * fill in by hand. The date defaults to today.
 */
export function FilingDialog({ language, onSubmit, onCancel }: FilingDialogProps) {
  const t = (key: MessageKey) => translate(language, key);
  const [values, setValues] = useState<FilingDetails>(() => ({ ...remembered(), date: formatVietnamDay() }));
  const [dateError, setDateError] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);
  useEffect(() => firstRef.current?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const filled: FilingDetails = {};
    for (const { key } of FIELDS) {
      const value = values[key]?.trim();
      if (value) filled[key] = value;
    }
    // The date is typed as officials write it, dd/mm/yyyy, and sent as yyyy-mm-dd.
    const date = filled.date === undefined ? undefined : parseDay(filled.date);
    if (filled.date !== undefined && date === undefined) {
      setDateError(true);
      return;
    }
    const { date: _typed, ...kept } = filled;
    localStorage.setItem(STORAGE_KEY, JSON.stringify(kept));
    onSubmit({ ...kept, ...(date ? { date } : {}) });
  };
  return (
    <div className="modal-backdrop" onKeyDown={(event) => event.key === 'Escape' && onCancel()}>
      <form className="modal filing-dialog" role="dialog" aria-modal="true" aria-labelledby="filing-title" onSubmit={submit}>
        <h2 id="filing-title">{t('filingTitle')}</h2>
        <p className="muted">{t('filingHint')}</p>
        <div className="filing-fields">
          {FIELDS.map(({ key, label, placeholder }, index) => (
            <label key={key}>
              <span>{t(label)}</span>
              <input
                ref={index === 0 ? firstRef : undefined}
                type="text"
                maxLength={200}
                placeholder={placeholder}
                aria-invalid={key === 'date' && dateError ? true : undefined}
                aria-describedby={key === 'date' && dateError ? 'filing-date-error' : undefined}
                value={values[key] ?? ''}
                onChange={(event) => {
                  if (key === 'date') setDateError(false);
                  setValues((current) => ({ ...current, [key]: event.target.value }));
                }}
              />
            </label>
          ))}
        </div>
        {dateError ? (
          <p className="error" id="filing-date-error" role="alert">
            {t('filingDateInvalid')}
          </p>
        ) : null}
        <div className="modal-buttons">
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary">
            {t('filingCreate')}
          </button>
        </div>
      </form>
    </div>
  );
}

