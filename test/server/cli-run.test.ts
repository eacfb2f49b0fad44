import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/product-process.ts';

const fixture = (name: string) => path.join(import.meta.dirname, '../fixtures/run', name);

describe('quytrinh run', () => {
  it('runs a model through an event file and prints the trace in Vietnamese and English', async () => {
    const result = await runCli(['run', fixture('receipt-amendment.bpmn'), '--events', fixture('receipt-amendment.events.json'), '--at', '2025-03-07T16:00:00+07:00'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('07/03/2025');
    expect(result.stdout).toContain('qt.task.open check "Kiểm tra hồ sơ" → Bộ phận một cửa (8 giờ làm việc / working hours)');
    expect(result.stdout).toMatch(/task\.complete check {2}✖ không áp dụng được \/ not applicable/); // the duplicate completion
    expect(result.stdout).toContain('Kết thúc / Result: completed');
  });

  it('prints the same run as JSON', async () => {
    const result = await runCli(['run', fixture('receipt-amendment.bpmn'), '--events', fixture('receipt-amendment.events.json'), '--json'], {});
    const output = JSON.parse(result.stdout) as { status: string; variables: Record<string, unknown>; trace: Array<{ accepted: boolean }> };
    expect(output.status).toBe('completed');
    expect(output.variables).toEqual({ complete: true, dossierNumber: '000.00.01.H01-250310-0001' });
    expect(output.trace.map((entry) => entry.accepted)).toEqual([true, true, true, true, false, true]);
  });

  it('runs an inter-connected procedure whose call activities end by call.complete events (Circular 01 Art. 16.4)', async () => {
    const group = path.join(import.meta.dirname, '../../processes/lien-thong-khai-sinh-thuong-tru-bhyt');
    const variables = await readFile(path.join(group, 'run-variables.json'), 'utf8');
    const result = await runCli(['run', path.join(group, 'to-be.bpmn'), '--events', path.join(group, 'run.json'), '--variables', variables, '--json'], {});
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { status: string; trace: Array<{ event: { type: string } }> };
    expect(output.status).toBe('completed');
    expect(output.trace.filter((entry) => entry.event.type === 'call.complete')).toHaveLength(3);
  });

  it('runs a parallel multi-instance sub-process, each run addressed by its index', async () => {
    const agencies = JSON.stringify({ agencies: ['Công an tỉnh', 'Cục Thuế'] });
    const result = await runCli(['run', fixture('consult-agencies.bpmn'), '--events', fixture('consult-agencies.events.json'), '--variables', agencies, '--at', '2025-03-07T09:00:00+07:00'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('qt.run.start consult #1 "Cục Thuế"');
    expect(result.stdout).toMatch(/timer silent \(lượt \/ run 0\) +→ active, đang chờ \/ waiting: consult/);
    expect(result.stdout).toMatch(/task\.complete answer \(lượt \/ run 0\) {2}✖ không áp dụng được \/ not applicable/); // that run ended by its timer
    expect(result.stdout).toMatch(/call\.complete consult +→ active, đang chờ \/ waiting: decide/);
    expect(result.stdout).toContain('Kết thúc / Result: completed');
    expect(result.stdout).toContain('Biến / Variables: {"agencies":["Công an tỉnh","Cục Thuế"],"tax":"đồng ý"}');
  });

  it('names the bad entry of an event file', async () => {
    const events = path.join(tmpdir(), `quytrinh-events-${process.pid}.json`);
    await writeFile(events, JSON.stringify([{ type: 'task.complete', elementId: 'check' }, { type: 'timer' }]));
    const result = await runCli(['run', fixture('receipt-amendment.bpmn'), '--events', events], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^✖ .* không hợp lệ: 1\.elementId: /);
  });

  it('refuses a model it cannot execute, naming the elements', async () => {
    const model = path.join(tmpdir(), `quytrinh-model-${process.pid}.bpmn`);
    await writeFile(model, `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t"><bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:serviceTask id="noType"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="noType"/></bpmn:process></bpmn:definitions>`);
    const result = await runCli(['run', model], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Mô hình p không thực thi được: 1 lỗi');
    expect(result.stderr).toContain('  - noType: Phần tử noType là tác vụ tự động nhưng thiếu qt:jobType');
  });
});
