import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import { monitoringText, type MonitoringMessage } from './messages.ts';
import { monitoringApi, type DefinitionVersion, type InstanceView } from './monitoring-api.ts';

/** An element of the deployed diagram, as the dialogs offer it. */
export interface DiagramStep {
  id: string;
  name: string;
  /** The BPMN type, e.g. `bpmn:UserTask`. */
  type: string;
}

/** Where a token may be moved to (engine/runtime/token-move.ts refuses the rest, naming them). */
const TARGET_TYPES = new Set(['bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask', 'bpmn:ScriptTask', 'bpmn:ReceiveTask', 'bpmn:IntermediateCatchEvent', 'bpmn:EventBasedGateway']);

export const MIN_REASON = 5;

/**
 * A panel in the side pane that the operator opens from a button: its first field takes the
 * focus, Escape closes it, and the server's refusal is shown inside it in the language shown.
 */
export function InterventionDialog({ title, testId, language, problem, onClose, children }: { title: string; testId: string; language: Language; problem: Problem | undefined; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('select, textarea, input')?.focus();
  }, []);
  const titleId = `${testId}-title`;
  return (
    <section ref={ref} className="ws-section mon-dialog" role="dialog" aria-labelledby={titleId} data-testid={testId} onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <h2 id={titleId}>{title}</h2>
      {problem ? <ProblemNotice problem={problem} language={language} testId={`${testId}-problem`} /> : null}
      {children}
    </section>
  );
}

type Props = { instanceId: string; view: InstanceView; language: Language; steps: DiagramStep[]; onDone: (message: MonitoringMessage) => Promise<void>; onClose: () => void };

/**
 * "Chuyển bước": leave one active element for another step (POST /api/monitoring/instances/{id}/move).
 * An instance standing at several elements (parallel branches) gets a row per element, each left
 * as it is or given a target, and the chosen pairs are moved in one step (`moves`).
 */
export function MoveDialog({ instanceId, view, language, steps, onDone, onClose }: Props) {
  const t = (key: MonitoringMessage) => monitoringText(language, key);
  const nameOf = (id: string) => steps.find((step) => step.id === id)?.name ?? id;
  const targets = steps.filter((step) => TARGET_TYPES.has(step.type));
  const several = view.activeElementIds.length > 1;
  const [from, setFrom] = useState(view.activeElementIds[0] ?? '');
  const [to, setTo] = useState('');
  /** For several: the target chosen for each active element ('' leaves it). */
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const pairs = view.activeElementIds.flatMap((id) => (chosen[id] ? [{ from: id, to: chosen[id] }] : []));
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await monitoringApi.move(language, instanceId, several ? { moves: pairs, reason: reason.trim() } : { from, to, reason: reason.trim() });
      await onDone('moved');
    } catch (failure) {
      setProblem(problemOf(failure));
      setBusy(false);
    }
  };
  const targetOptions = targets.map((step) => <option key={step.id} value={step.id}>{step.name === step.id ? step.id : `${step.name} (${step.id})`}</option>);
  return (
    <InterventionDialog title={t('moveTitle')} testId="move-dialog" language={language} problem={problem} onClose={onClose}>
      <p className="muted mon-hint">{t(several ? 'moveSeveralHint' : 'moveHint')}</p>
      {several ? (
        view.activeElementIds.map((id) => (
          <label className="mon-field" key={id}>
            <span>{`${t('moveFrom')}: ${nameOf(id)}`}</span>
            <select value={chosen[id] ?? ''} onChange={(event) => setChosen({ ...chosen, [id]: event.target.value })} data-testid={`move-to-${id}`}>
              <option value="">{t('moveStay')}</option>
              {targetOptions}
            </select>
          </label>
        ))
      ) : (
        <>
          <label className="mon-field">
            <span>{t('moveFrom')}</span>
            <select value={from} onChange={(event) => setFrom(event.target.value)} data-testid="move-from">
              {view.activeElementIds.map((id) => <option key={id} value={id}>{nameOf(id)}</option>)}
            </select>
          </label>
          <label className="mon-field">
            <span>{t('moveTo')}</span>
            <select value={to} onChange={(event) => setTo(event.target.value)} data-testid="move-to">
              <option value="">{t('choose')}</option>
              {targetOptions}
            </select>
          </label>
        </>
      )}
      <label className="mon-field">
        <span>{t('interventionReason')}</span>
        <textarea rows={2} value={reason} onChange={(event) => setReason(event.target.value)} data-testid="move-reason" />
      </label>
      <div className="mon-dialog-buttons">
        <button type="button" className="primary" disabled={busy || (several ? pairs.length === 0 : !from || !to) || reason.trim().length < MIN_REASON} onClick={() => void submit()}>{t('moveConfirm')}</button>
        <button type="button" onClick={onClose}>{t('close')}</button>
      </div>
    </InterventionDialog>
  );
}

/** "Chuyển phiên bản": to a newer deployed version of the process (POST /api/monitoring/instances/{id}/migrate). */
export function MigrateDialog({ instanceId, view, language, onDone, onClose }: Omit<Props, 'steps'>) {
  const t = (key: MonitoringMessage, values?: Record<string, string | number>) => monitoringText(language, key, values);
  const [versions, setVersions] = useState<DefinitionVersion[] | undefined>();
  const [target, setTarget] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    monitoringApi.versions(language, view.procedure.key).then((page) => {
      const newer = page.items.filter((version) => version.version > view.procedure.version);
      setVersions(newer);
      setTarget(newer[0]?.id ?? '');
    }, (failure: unknown) => setProblem(problemOf(failure)));
  }, [view.procedure.key, view.procedure.version]);
  const submit = async () => {
    setBusy(true);
    try {
      await monitoringApi.migrate(language, instanceId, { targetDefinitionId: target, reason: reason.trim() });
      await onDone('migrated');
    } catch (failure) {
      setProblem(problemOf(failure));
      setBusy(false);
    }
  };
  return (
    <InterventionDialog title={t('migrateTitle')} testId="migrate-dialog" language={language} problem={problem} onClose={onClose}>
      <p className="muted mon-hint">{t('migrateHint')}</p>
      {versions?.length === 0 ? <p>{t('noNewerVersion')}</p> : null}
      <label className="mon-field">
        <span>{t('migrateTarget')}</span>
        <select value={target} onChange={(event) => setTarget(event.target.value)} data-testid="migrate-target" disabled={!versions?.length}>
          {(versions ?? []).map((version) => <option key={version.id} value={version.id}>{t('versionOf', { v: version.version })}</option>)}
        </select>
      </label>
      <label className="mon-field">
        <span>{t('interventionReason')}</span>
        <textarea rows={2} value={reason} onChange={(event) => setReason(event.target.value)} data-testid="migrate-reason" />
      </label>
      <div className="mon-dialog-buttons">
        <button type="button" className="primary" disabled={busy || !target || reason.trim().length < MIN_REASON} onClick={() => void submit()}>{t('migrateConfirm')}</button>
        <button type="button" onClick={onClose}>{t('close')}</button>
      </div>
    </InterventionDialog>
  );
}
