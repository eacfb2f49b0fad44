/** What "Mới từ mẫu" offers, and the new, unsaved model each choice starts. */
import { api, type CatalogueProcedure } from '../api.ts';
import { translate, type Language } from '../i18n.ts';
import { procedureTemplateXml } from './procedure-template.ts';

export type TemplateChoice = { kind: 'blank' } | { kind: 'procedure' } | { kind: 'catalogue'; id: string; stage: 'as-is' | 'to-be' };

export interface TemplateModel {
  /** Undefined for bpmn-js's own blank diagram. */
  xml: string | undefined;
  name: string;
  stage: 'as-is' | 'to-be';
}

/** A select's value for a choice, and back. */
export const choiceValue = (choice: TemplateChoice): string => (choice.kind === 'catalogue' ? `catalogue|${choice.id}|${choice.stage}` : choice.kind);

export function parseChoice(value: string): TemplateChoice | undefined {
  if (value === 'blank' || value === 'procedure') return { kind: value };
  const [kind, id, stage] = value.split('|');
  if (kind === 'catalogue' && id && (stage === 'as-is' || stage === 'to-be')) return { kind, id, stage };
  return undefined;
}

/** The model a choice starts (bpmn-js's blank diagram too): a copy, never the catalogue's own file, so saving makes a new stored model. */
export async function templateModel(choice: TemplateChoice, catalogue: CatalogueProcedure[], language: Language): Promise<TemplateModel> {
  switch (choice.kind) {
    case 'blank':
      return { xml: undefined, name: translate(language, 'untitled'), stage: 'to-be' };
    case 'procedure':
      return { xml: procedureTemplateXml(language), name: translate(language, 'templateProcedure'), stage: 'to-be' };
    case 'catalogue': {
      const procedure = catalogue.find((candidate) => candidate.id === choice.id);
      const stageName = translate(language, choice.stage === 'as-is' ? 'catalogueAsIs' : 'catalogueToBe');
      const name = `${procedure?.name[language] ?? choice.id} (${stageName}, ${translate(language, 'templateCopy')})`;
      return { xml: await api.catalogueModel(choice.id, choice.stage, language), name, stage: choice.stage };
    }
  }
}
