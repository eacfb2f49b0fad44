import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import {
  documentNameProblem,
  documentsOf,
  expressionBody,
  feelProblem,
  isConditionalFlow,
  messageDefinitionOf,
  timerDefinitionOf,
  timerExpressionOf,
  timerExpressionProblem,
  variableNameProblem,
  type ModdleNode,
} from '../../designer/src/modeler/engine-fields.ts';

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:qt="urn:quytrinh:bpmn:1.0" id="d" targetNamespace="t">
  <bpmn:message id="m" name="ketQuaThamDinh"/>
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="nop">
      <bpmn:extensionElements>
        <qt:document name="Tờ khai" paper="true"/>
        <qt:document name="Giấy chứng sinh"/>
      </bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics qt:collection="coQuan" qt:elementVariable="moiCoQuan"/>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="g" default="f2"/>
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="nop"/>
    <bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="wait"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">=canBoSung = true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="msg"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT24H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m" qt:correlationKey="maHoSo"/></bpmn:intermediateCatchEvent>
    <bpmn:intermediateThrowEvent id="notify"><bpmn:messageEventDefinition messageRef="m" qt:correlationKey="maHoSoLienThong"/></bpmn:intermediateThrowEvent>
  </bpmn:process>
</bpmn:definitions>`;

async function elements(): Promise<Record<string, ModdleNode>> {
  return (await parseBpmn(xml)).elementsById as unknown as Record<string, ModdleNode>;
}

describe('engine attributes in the designer: checks as typed', () => {
  it('reads FEEL as the engine does, leading = included, and names a syntax error in both languages', () => {
    expect(feelProblem('canBoSung = true')).toBeUndefined();
    expect(feelProblem('= soNgay > 5 and hopLe')).toBeUndefined();
    expect(feelProblem('')).toBeUndefined();
    const problem = feelProblem('soNgay >');
    expect(problem?.vi).toMatch(/^Biểu thức FEEL chưa đúng cú pháp: /);
    expect(problem?.en).toMatch(/Incomplete/);
    expect(feelProblem('"chưa đóng')).toBeDefined();
  });

  it('accepts the ISO 8601 timers the engine arms and refuses the others with an example', () => {
    expect(timerExpressionProblem('timeDuration', 'PT8H')).toBeUndefined();
    expect(timerExpressionProblem('timeDuration', 'P1M')).toBeUndefined();
    expect(timerExpressionProblem('timeDuration', '8 giờ')?.vi).toBe('Không đọc được theo ISO 8601; ví dụ PT8H, P2D, P1M');
    expect(timerExpressionProblem('timeDuration', '-PT1H')).toBeDefined();
    expect(timerExpressionProblem('timeDate', '2026-01-01T08:00:00')).toBeUndefined();
    expect(timerExpressionProblem('timeDate', 'March 7')?.en).toBe('Not readable as ISO 8601; e.g. 2026-01-01T08:00:00');
    expect(timerExpressionProblem('timeCycle', 'R3/PT24H')).toBeUndefined();
    expect(timerExpressionProblem('timeCycle', 'R0/PT24H')).toBeDefined();
    expect(timerExpressionProblem('timeCycle', 'PT24H')).toBeDefined();
    expect(timerExpressionProblem('timeCycle', '  ')).toBeUndefined();
  });

  it('takes plain names for an element variable and a named document', () => {
    expect(variableNameProblem('coQuan')).toBeUndefined();
    expect(variableNameProblem('cơ_quan2')).toBeUndefined();
    expect(variableNameProblem('2coQuan')).toBeDefined();
    expect(variableNameProblem('co quan')).toBeDefined();
    expect(documentNameProblem('Tờ khai')).toBeUndefined();
    expect(documentNameProblem('  ')?.vi).toBe('Giấy tờ phải có tên');
  });
});

describe('engine attributes in the designer: reading the model', () => {
  it('finds conditions, timers, messages and documents where the engine reads them', async () => {
    const byId = await elements();
    expect(isConditionalFlow(byId.f1!)).toBe(true);
    expect(isConditionalFlow(byId.f0!)).toBe(false);
    expect(expressionBody(byId.f1!.get('conditionExpression') as ModdleNode)).toBe('=canBoSung = true');
    const timer = timerDefinitionOf(byId.wait!)!;
    const { kind, expression } = timerExpressionOf(timer);
    expect(kind).toBe('timeCycle');
    expect(expressionBody(expression)).toBe('R3/PT24H');
    expect(timerDefinitionOf(byId.msg!)).toBeUndefined();
    expect(timerDefinitionOf(byId.nop!)).toBeUndefined();
    expect(messageDefinitionOf(byId.wait!)).toBeUndefined();
    expect(messageDefinitionOf(byId.msg!)?.get('qt:correlationKey')).toBe('maHoSo');
    expect(messageDefinitionOf(byId.notify!)?.get('qt:correlationKey')).toBe('maHoSoLienThong'); // the key a throw publishes with
    expect(documentsOf(byId.nop!).map((document) => [document.get('name'), document.get('paper')])).toEqual([['Tờ khai', true], ['Giấy chứng sinh', undefined]]);
    expect(documentsOf(byId.start!)).toEqual([]);
    // What the designer reads is what the engine runs: the same documents, condition and timer.
    const graph = await readProcess(xml);
    expect(graph.nodes.get('nop')?.qt.documents).toEqual([{ name: 'Tờ khai', paper: true }, { name: 'Giấy chứng sinh', paper: false }]);
    expect(graph.flows.get('f1')?.condition).toBe('canBoSung = true');
  });
});
