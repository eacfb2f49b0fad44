/**
 * Why a file did not open, in the user's words: bpmn-js and bpmn-moddle reject a file with
 * messages such as "unparsable content hello detected / line: 0 / column: 0 / nested error:
 * missing start tag", meaningless to procedure-control staff. The explanation says what the file
 * is (not XML, broken XML, XML that is not BPMN, BPMN without a drawing) and where, and keeps the
 * reader's own words as a technical detail for whoever supports them.
 */
import { translate, type Language } from '../i18n.ts';

export interface ImportProblem {
  explanation: string;
  /** The reader's message, for support. */
  technical: string;
}

export function explainImportError(error: unknown, language: Language): ImportProblem {
  const technical = error instanceof Error ? error.message : String(error);
  const first = technical.split('\n')[0] ?? technical;
  const at = /line: (\d+)\s+column: (\d+)/.exec(technical);
  // bpmn-moddle counts lines and columns from 0; an editor from 1.
  const line = at ? Number(at[1]) + 1 : undefined;
  const column = at ? Number(at[2]) + 1 : undefined;
  const position = line === undefined ? '' : ` (${translate(language, 'importPosition').replace('{line}', String(line)).replace('{column}', String(column))})`;
  let explanation: string;
  if (/^failed to parse document as/.test(first)) explanation = translate(language, 'importNotBpmn');
  else if (/^no diagram to display/.test(first)) explanation = translate(language, 'importNoDiagram');
  else if (/^unparsable content/.test(first)) {
    explanation = /nested error: missing start tag/.test(technical) && line === 1 && column === 1 ? translate(language, 'importNotXml') : `${translate(language, 'importBrokenXml')}${position}.`;
  } else explanation = `${translate(language, 'importOther')}: ${first}`;
  return { explanation, technical };
}
