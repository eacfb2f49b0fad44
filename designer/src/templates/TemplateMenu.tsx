import type { CatalogueProcedure } from '../api.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { choiceValue, parseChoice, type TemplateChoice } from './templates.ts';

interface TemplateMenuProps {
  language: Language;
  catalogue: CatalogueProcedure[];
  onChoose: (choice: TemplateChoice) => void;
}

/** "Mới từ mẫu": a blank diagram, the one-stop procedure template, or a copy of any catalogue procedure. */
export function TemplateMenu({ language, catalogue, onChoose }: TemplateMenuProps) {
  const t = (key: MessageKey) => translate(language, key);
  return (
    <select
      aria-label={t('newFromTemplate')}
      className="templates"
      value=""
      onChange={(event) => {
        const choice = parseChoice(event.target.value);
        if (choice) onChoose(choice);
      }}
    >
      <option value="" disabled>
        {t('newFromTemplate')}…
      </option>
      <option value={choiceValue({ kind: 'blank' })}>{t('newDiagram')}</option>
      <option value={choiceValue({ kind: 'procedure' })}>{t('templateProcedure')}</option>
      <optgroup label={t('templateFromCatalogue')}>
        {catalogue.flatMap((procedure) =>
          (['as-is', 'to-be'] as const).map((stage) => (
            <option key={`${procedure.id}|${stage}`} value={choiceValue({ kind: 'catalogue', id: procedure.id, stage })}>
              {`${procedure.name[language]} — ${t(stage === 'as-is' ? 'catalogueAsIs' : 'catalogueToBe')}`}
            </option>
          )),
        )}
      </optgroup>
    </select>
  );
}
