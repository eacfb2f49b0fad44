import { useEffect, useRef } from 'react';
import { differencesOf, rowKey, type ChangeRow } from './change-list.ts';
import { differenceLabel, directionOf } from '../../../server/reports/restructuring-report.ts';
import { formatVnd } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';

interface ChangeListProps {
  rows: readonly ChangeRow[];
  language: Language;
  /** The row of the element last clicked on a diagram. */
  highlighted: string | undefined;
  onSelect: (row: ChangeRow) => void;
}

const KIND_LABEL: Record<ChangeRow['kind'], MessageKey> = { removed: 'changeRemoved', added: 'changeAdded', changed: 'changeChanged' };

/** Every difference, the costliest first, each with the server's cost effect; a click shows it on the diagrams. */
export function ChangeList({ rows, language, highlighted, onSelect }: ChangeListProps) {
  const t = (key: MessageKey) => translate(language, key);
  const tableRef = useRef<HTMLTableElement>(null);
  useEffect(() => {
    if (highlighted) tableRef.current?.querySelector(`tr[data-row-key="${CSS.escape(highlighted)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [highlighted]);
  if (rows.length === 0) return <p className="muted">{t('noChanges')}</p>;
  return (
    <table className="change-list" data-testid="change-list" ref={tableRef}>
      <thead>
        <tr>
          <th>{t('tabChanges')}</th>
          <th>{t('step')}</th>
          <th className="number">{t('costEffectHeader')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const id = row.toBeId ?? row.asIsId ?? '';
          const key = rowKey(row);
          return (
            <tr key={key} className={key === highlighted ? `change-${row.kind} highlighted` : `change-${row.kind}`} data-element-id={id} data-row-key={key}>
              <td>
                <span className={`change-kind ${row.kind}`}>{t(KIND_LABEL[row.kind])}</span>
              </td>
              <td>
                <button type="button" className="link" onClick={() => onSelect(row)}>
                  {row.name ?? id}
                </button>
                <span className="muted">
                  {' '}
                  {row.asIsId && row.toBeId && row.asIsId !== row.toBeId ? `${row.asIsId} → ${row.toBeId}` : id}
                  {row.cost?.matchedBy === 'name' ? ` · ${t('matchedByName')}` : ''}
                </span>
                {row.kind === 'changed' ? <div className="differences muted">{differencesOf(row).map((difference) => differenceLabel(difference)[language]).join(', ')}</div> : null}
              </td>
              <td className={`number ${row.cost ? directionOf(-row.cost.perDossierVnd) : ''}`} data-testid={`cost-effect-${id}`}>
                {row.cost ? (
                  <>
                    {/* The report's convention: what a change saves, positive; what it adds, negative and red. */}
                    {formatVnd(-row.cost.perDossierVnd, language)}
                    <span> · {formatVnd(-row.cost.perYearVnd, language)}/{t('perYearShort')}</span>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
