import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { bpmnProcess, flows } from './process.ts';

/**
 * A small restructuring to assert on: as-is, two visits and a paper form; to-be, online with an
 * electronic result. Per dossier 4 h × 25,000 + 60,000 = 160,000 đ against 1 h × 25,000 =
 * 25,000 đ; 1,000 dossiers a year. `process` adds attributes to both processes (a name).
 */
export function smallRestructuring(process = ''): { asIs: string; toBe: string } {
  const procedure = `${process} qt:hourlyIncomeVnd="25000" qt:subjectsPerYear="1000"`;
  return {
    asIs: bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="submit" name="Nộp hồ sơ" qt:applicantHours="3" qt:outOfPocketVnd="60000" qt:trips="1" qt:channel="in-person">
        <bpmn:extensionElements><qt:document name="Tờ khai" paper="true"/></bpmn:extensionElements>
      </bpmn:userTask>
      <bpmn:userTask id="collect" name="Nhận kết quả" qt:applicantHours="1" qt:trips="1" qt:result="paper" qt:resultDelivery="in-person"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>submit', 'submit>collect', 'collect>end')}`, { attributes: procedure }),
    toBe: bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="submit" name="Nộp hồ sơ" qt:applicantHours="1" qt:channel="online">
        <bpmn:extensionElements><qt:document name="Tờ khai"/></bpmn:extensionElements>
      </bpmn:userTask>
      <bpmn:serviceTask id="issue" name="Cấp kết quả điện tử" qt:jobType="result.sign" qt:result="electronic" qt:resultDelivery="online"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>submit', 'submit>issue', 'issue>end')}`, { attributes: `${procedure} qt:publishedOnline="true" qt:formsDownloadable="true"` }),
  };
}

/** The text of a PDF, page after page, as a reader would copy it (pdf.js). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const document = await getDocument({ data: bytes }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages.join('\n');
}

/** An amount as the Vietnamese reports print it: 1.234.567 đ. */
export const vnd = (value: number) => `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(value)} đ`;

/**
 * The runs of text a PDF draws with the fill colour each is drawn in (pdf.js's operator list:
 * the last colour set before each showText), page after page, for asserting what is printed red.
 */
export async function pdfColouredText(bytes: Uint8Array): Promise<Array<{ colour: string; text: string }>> {
  const document = await getDocument({ data: bytes.slice() }).promise;
  const runs: Array<{ colour: string; text: string }> = [];
  for (let number = 1; number <= document.numPages; number++) {
    const operators = await (await document.getPage(number)).getOperatorList();
    let colour = '#000000';
    const saved: string[] = [];
    operators.fnArray.forEach((fn, index) => {
      const args = operators.argsArray[index] as unknown[];
      if (fn === OPS.save) saved.push(colour);
      else if (fn === OPS.restore) colour = saved.pop() ?? colour;
      else if (fn === OPS.setFillRGBColor) colour = String(args[0]).toLowerCase();
      else if (fn === OPS.showText) {
        const glyphs = args[0] as Array<{ unicode?: string } | number>;
        runs.push({ colour, text: glyphs.map((glyph) => (typeof glyph === 'object' && glyph ? (glyph.unicode ?? '') : '')).join('') });
      }
    });
  }
  return runs;
}
