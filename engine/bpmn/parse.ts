import { BpmnModdle, type ModdleElement, type ParseResult } from 'bpmn-moddle';
import { QuyTrinhError, type ErrorDetail } from '../errors.ts';
import { checkBpmnIdentifiers, checkBpmnText } from './limits.ts';
import { qtModdleDescriptor } from './qt-extension.ts';

export interface ParsedModel {
  definitions: ModdleElement;
  elementsById: Record<string, ModdleElement>;
  /** Problems the reader recovered from (an unknown element, a dangling reference), each with its element id. */
  warnings: ErrorDetail[];
  /**
   * Ids written on more than one element: an id is unique in its file (BPMN 2.0 §8.3, BaseElement,
   * an XML Schema ID), and bpmn-moddle keeps the first element of an id and drops the others.
   */
  duplicateIds: string[];
}

/**
 * Reads BPMN 2.0 XML with bpmn-moddle (a real XML parser, the same model bpmn-js uses), or
 * fails with a typed error that says, in both languages, why the file is not a BPMN model.
 * The `qt` extension is always registered, so its attributes arrive typed and survive export.
 */
export async function parseBpmn(xml: string): Promise<ParsedModel> {
  // A BPMN file has no use for a document type; refusing it outright closes the door on
  // entity expansion and external entities (XXE), whatever the parser would do with them.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new QuyTrinhError('invalid-model', 'bpmn.doctype-forbidden', {
      vi: 'Tệp BPMN không được chứa khai báo DOCTYPE hoặc ENTITY',
      en: 'A BPMN file must not contain a DOCTYPE or ENTITY declaration',
    }, [{ field: 'xml', message: 'DOCTYPE/ENTITY declarations are not accepted' }]);
  }
  checkBpmnText(xml);
  let result: ParseResult;
  try {
    result = await BpmnModdle({ qt: qtModdleDescriptor }).fromXML(withPeerPrefix(xml));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] ?? '' : String(cause);
    throw notBpmn(`${reason}`, cause);
  }
  if (result.rootElement.$type !== 'bpmn:Definitions') {
    throw notBpmn(`root element is ${result.rootElement.$type}, expected bpmn:definitions`);
  }
  checkBpmnIdentifiers(Object.values(result.elementsById));
  return {
    definitions: result.rootElement,
    elementsById: result.elementsById,
    warnings: result.warnings.map((warning) => ({
      ...(warning.element?.id ? { elementId: warning.element.id } : {}),
      message: warning.message.split('\n')[0] ?? warning.message,
    })),
    duplicateIds: [...new Set(result.warnings.flatMap((warning) => /duplicate ID <([^>]*)>/.exec(warning.message)?.[1] ?? []))],
  };
}

/** bpmn-engine's extension namespace, whose prefix its tests write as `js:`. */
export const BPMN_ENGINE_URI = 'http://paed01.github.io/bpmn-engine/schema/2020/08/bpmn';

/**
 * bpmn-elements' tests write bpmn-engine's attributes (`js:collection`, `js:result`) without
 * declaring the `js` prefix: its moddle resolves the prefix by the extension it was given, where
 * an XML reader drops them as unparsable. A document that uses `js:` on an attribute and declares
 * no `js` prefix is read with the prefix declared as bpmn-engine's, as that engine reads it; any
 * other document is read as written.
 */
function withPeerPrefix(xml: string): string {
  if (!/\sjs:[A-Za-z]+\s*=/.test(xml) || /xmlns:js\s*=/.test(xml)) return xml;
  return xml.replace(/<((?:[A-Za-z_][\w.-]*:)?definitions)(?=[\s>])/, `<$1 xmlns:js="${BPMN_ENGINE_URI}"`);
}

function notBpmn(reason: string, cause?: unknown): QuyTrinhError {
  return new QuyTrinhError('invalid-model', 'bpmn.unreadable', {
    vi: `Tệp không phải là mô hình BPMN 2.0 hợp lệ: ${reason}`,
    en: `The file is not a valid BPMN 2.0 model: ${reason}`,
  }, [{ field: 'xml', message: reason }], { cause });
}
