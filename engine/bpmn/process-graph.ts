/**
 * The typed process graph: what a BPMN process means to the product, independent of XML.
 * `engine/bpmn/read-process.ts` builds it from bpmn-moddle's model; the compiler, the cost model
 * and the lint rules read only this.
 */

export type EventTrigger =
  | { kind: 'none' }
  | { kind: 'message'; messageName: string; correlationKey?: string | undefined }
  | { kind: 'timer'; timer: TimerDefinition }
  | { kind: 'error'; errorCode?: string | undefined }
  | { kind: 'terminate' }
  /**
   * A signal (BPMN 2.0 §10.4.5), matched by its name (the signal's id standing in for an unnamed
   * one; ANONYMOUS_SIGNAL for an event with no signalRef).
   */
  | { kind: 'signal'; signalName: string }
  /**
   * An escalation, matched by its escalationCode (the escalation's id standing in for a missing
   * code); none on a catching event catches every escalation, none on a throwing one is caught only so.
   */
  | { kind: 'escalation'; escalationCode?: string | undefined }
  /** A conditional event: it occurs when its FEEL condition on the instance's variables holds. */
  | { kind: 'conditional'; condition: string; conditionLanguage?: string | undefined }
  /** A link: a throw jumps to the catch of the same name in the same process or sub-process. */
  | { kind: 'link'; linkName: string }
  /**
   * Compensation (BPMN 2.0 §10.7): on a boundary event, it marks its activity as compensable by
   * the handler associated with it; on a throw, it compensates the activity `activityRef`, or
   * (without one) every completed activity of its scope, waiting for the handlers unless
   * `waitForCompletion` is false.
   */
  | { kind: 'compensate'; activityRef?: string | undefined; waitForCompletion: boolean }
  /** Cancel (BPMN 2.0 §10.3.2): a cancel end event cancels its transaction, a cancel boundary event on the transaction catches that. */
  | { kind: 'cancel' }
  /**
   * A multiple catch event (BPMN 2.0 §10.4.1, §10.4.6): several event definitions, any one of
   * which triggers it; the others are then disarmed.
   */
  | { kind: 'multiple'; triggers: EventTrigger[] }
  | { kind: 'unsupported'; definitionType: string };

/** The triggers of an event: each of a multiple one's, else its own. */
export function eventTriggers(trigger: EventTrigger | undefined): EventTrigger[] {
  if (trigger === undefined) return [];
  return trigger.kind === 'multiple' ? trigger.triggers : [trigger];
}

/**
 * The name of the signal of a signal event drawn without signalRef. BPMN 2.0 makes signalRef
 * optional and says nothing of what such an event throws or catches; bpmn-engine throws an
 * anonymous signal that reaches every anonymous signal catch and start (test/feature/
 * signal-feature.js, "anonymous signal"), so they all share this one name, which no signal of a
 * model can have by its id (`#` is not allowed in an XML id). `POST /api/signals` sends it too.
 */
export const ANONYMOUS_SIGNAL = '#anonymous';

/**
 * `feel`: the timer was written as a bpmn-engine expression `${…}` (engine/compile/condition-dialects.ts):
 * the machine evaluates this FEEL on the instance's variables when it arms the timer, and its
 * value (a text) stands for `expression` (engine/compile/timer-expressions.ts).
 */
export type TimerDefinition =
  | { kind: 'duration'; expression: string; feel?: string | undefined }
  | { kind: 'date'; expression: string; feel?: string | undefined }
  | { kind: 'cycle'; expression: string; feel?: string | undefined }
  /** qt:workingHours on the timer event: a deadline in working time (engine/calendar). */
  | { kind: 'workingHours'; hours: number };

export type ActivityKind = 'userTask' | 'serviceTask' | 'sendTask' | 'businessRuleTask' | 'scriptTask' | 'receiveTask' | 'manualTask' | 'task';

export type NodeKind =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | ActivityKind
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'complexGateway'
  | 'subProcess'
  | 'callActivity'
  | 'unsupported';

export interface MultiInstance {
  sequential: boolean;
  /** FEEL expression giving the collection (qt:collection), e.g. `agencies`. */
  collection?: string | undefined;
  /** Variable holding the current item inside each instance (qt:elementVariable). */
  elementVariable?: string | undefined;
  /** Fixed count instead of a collection (bpmn:loopCardinality). */
  cardinality?: string | undefined;
  /** qt:expectedCount: how many instances a dossier needs on average, for the cost model when the count comes from data. */
  expectedCount?: number | undefined;
  /**
   * The completionCondition as written (BPMN 2.0 §10.3.8: tested each time an instance completes;
   * when it holds, the instances still open are cancelled and the activity completes), an
   * optional leading `=` removed; empty when the element is there without a body.
   */
  completionCondition?: string | undefined;
  /** Its language, when the model names one (its own, else the definitions' expressionLanguage). */
  completionConditionLanguage?: string | undefined;
}

/**
 * Standard loop characteristics (BPMN 2.0 §10.2.8, "Loop Characteristics"): the activity runs
 * again while its loopCondition holds, tested after each run (before each with testBefore), at
 * most loopMaximum times.
 */
export interface StandardLoop {
  /** The loopCondition as written (FEEL, an optional leading `=` removed). */
  condition?: string | undefined;
  /** Its language, when the model names one (its own, else the definitions' expressionLanguage). */
  conditionLanguage?: string | undefined;
  testBefore: boolean;
  maximum?: number | undefined;
}

/** The `qt` attributes of the product's extension (namespace urn:quytrinh:bpmn:1.0). */
export interface QtAttributes {
  jobType?: string | undefined;
  dueWorkingHours?: number | undefined;
  applicantHours?: number | undefined;
  outOfPocketVnd?: number | undefined;
  feeVnd?: number | undefined;
  trips?: number | undefined;
  manual?: boolean | undefined;
  officialHours?: number | undefined;
  durationHours?: number | undefined;
  /** How the applicant takes part in this step (Circular 01 Art. 13.1.c–e). */
  channel?: ApplicantChannel | undefined;
  /** How fees paid at this step are paid (Circular 01 Art. 13.1.dd). */
  payment?: PaymentChannel | undefined;
  /** The applicant must be present or show originals at this step (Circular 01 Art. 13.1.e). */
  presence?: boolean | undefined;
  /** The form of the result this step issues (Circular 01 Art. 13.1.g). */
  result?: ResultForm | undefined;
  /** How the result issued at this step reaches the applicant (Circular 01 Art. 13.1.h). */
  resultDelivery?: ResultDelivery | undefined;
  /**
   * qt:form: the symbol of the form-js form of this step (a start event's is the application
   * form); its code is `<procedure code>.<symbol>` (Circular 01 Art. 22.3.b, engine/codes/form-code.ts).
   */
  form?: string | undefined;
  /**
   * qt:dossierStep: the step's part in the dossier's lifecycle; `receipt` is the receipt check of
   * Decree 45 Art. 11.2–11.4; `approval` is the competent person's approval of the result, whose
   * official then signs the result with their personal certificate before the agency seals it
   * (Art. 14.3.b, docs/signatures.md).
   */
  dossierStep?: DossierStep | undefined;
  /** `<qt:document name="..."/>` children: dossier components supplied at this step (Circular 01 Art. 17.1.c). */
  documents: DossierComponent[];
}

export const DOSSIER_STEPS = ['receipt', 'approval'] as const;
export type DossierStep = (typeof DOSSIER_STEPS)[number];

/**
 * The candidate group of the user tasks of the applicant's lane (a lane marked
 * qt:applicant="true"): the applicant completes them from the portal, as the dossier's owner,
 * whatever the lane is called; no official's lane mapping reaches them.
 */
export const APPLICANT_CANDIDATE_GROUP = 'qt:applicant';

/** Who may take a user task: the applicant's group in the applicant's lane, else the lane's name. */
export function candidateGroupOf(node: Pick<FlowNode, 'lane' | 'applicantLane'>): string | undefined {
  return node.applicantLane ? APPLICANT_CANDIDATE_GROUP : node.lane;
}

export const APPLICANT_CHANNELS = ['online', 'in-person', 'post'] as const;
export type ApplicantChannel = (typeof APPLICANT_CHANNELS)[number];
export const PAYMENT_CHANNELS = ['online', 'in-person', 'bank-transfer'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];
export const RESULT_FORMS = ['electronic', 'paper', 'both'] as const;
export type ResultForm = (typeof RESULT_FORMS)[number];
export const RESULT_DELIVERIES = ['online', 'post', 'in-person'] as const;
export type ResultDelivery = (typeof RESULT_DELIVERIES)[number];

/** One component of the dossier (thành phần hồ sơ) the applicant supplies at a step. */
/**
 * How a restructuring cuts an administrative procedure (Circular 01 Art. 17.1.a): merged into the
 * restructured one, abolished, or no longer needed because the component it produced is no longer
 * required by the restructured one (Art. 17.3.b: removal of procedures and documentation requirements).
 */
export const PROCEDURE_CUTS = ['merged', 'abolished', 'not-required'] as const;
export type ProcedureCut = (typeof PROCEDURE_CUTS)[number];

/** `<qt:cutProcedure code="…" name="…" how="merged"/>` in the to-be process's extensionElements. */
export interface CutProcedure {
  /** The procedure's code in the National Database of administrative procedures, when known. */
  code?: string | undefined;
  name: string;
  how: ProcedureCut;
}

export interface DossierComponent {
  name: string;
  /** qt:document paper="true": supplied or shown on paper (an original, a certified copy), Circular 01 Art. 13.1.d. */
  paper: boolean;
  /** qt:document form="true": the step's e-form itself (the tờ khai), filled in rather than uploaded (Circular 01 Art. 21–22). */
  form?: boolean | undefined;
}

export interface FlowNode {
  id: string;
  name?: string | undefined;
  kind: NodeKind;
  /** The BPMN type as written, e.g. `bpmn:UserTask` (for messages about unsupported elements). */
  bpmnType: string;
  /** The id of the sub-process containing this node, or undefined at process level. */
  parentId?: string | undefined;
  /** Ids of sequence flows. */
  incoming: string[];
  outgoing: string[];
  /** Name of the lane the node lies in (the candidate group of a user task). */
  lane?: string | undefined;
  /** The node lies in the applicant's lane (qt:applicant="true" on the lane or a lane containing it). */
  applicantLane?: boolean | undefined;
  trigger?: EventTrigger | undefined;
  /** For boundary events: the activity they are attached to, and whether they interrupt it. */
  attachedTo?: string | undefined;
  interrupting?: boolean | undefined;
  /** qt:probability on a catch event (boundary, event sub-process start): the chance it fires, for the cost model. */
  probability?: number | undefined;
  /** For exclusive and inclusive gateways: the default flow id. */
  defaultFlow?: string | undefined;
  /** For call activities: the key (process id) of the called definition. */
  calledElement?: string | undefined;
  multiInstance?: MultiInstance | undefined;
  /** Standard loop characteristics: the activity repeats while its condition holds. */
  loop?: StandardLoop | undefined;
  /** For sub-processes: the nodes directly inside. */
  children?: string[] | undefined;
  /** For sub-processes: true for an event sub-process (triggeredByEvent). */
  triggeredByEvent?: boolean | undefined;
  /** For sub-processes: true for a transaction (bpmn:transaction, BPMN 2.0 §10.3.2). */
  transaction?: boolean | undefined;
  /** An activity marked isForCompensation: it runs only as the handler of a compensation boundary event, outside the flow. */
  forCompensation?: boolean | undefined;
  /** For a compensation boundary event: the handler its association leads to. */
  compensationHandler?: string | undefined;
  qt: QtAttributes;
}

export interface SequenceFlow {
  id: string;
  name?: string | undefined;
  source: string;
  target: string;
  /** The condition as written, FEEL, an optional leading `=` removed. */
  condition?: string | undefined;
  /**
   * The language of the condition when the model names one (its own `language`, else the
   * definitions' `expressionLanguage`); unnamed, a condition is read as FEEL.
   */
  conditionLanguage?: string | undefined;
  /** qt:probability, 0–1 (the cost model's branch probability). */
  probability?: number | undefined;
  /**
   * A `conditionExpression` with no body (bpmn-engine's `js:resource`, a script its host
   * supplies): a condition the model does not hold, unlike a flow with none.
   */
  conditionWithoutBody?: true | undefined;
  /**
   * Set by the compiler only (engine/compile/condition-dialects.ts): a bpmn-engine condition that
   * fails the peer's run whenever evaluated; the flow fails the instance there, with this reason.
   */
  failure?: string | undefined;
  /**
   * Set by the compiler only (condition-dialects.ts): the values a bpmn-engine condition gives
   * variables whenever it is evaluated (an exclusive choice sets them from this flow on).
   */
  sets?: Record<string, string | number | boolean | null> | undefined;
}

export interface ProcessGraph {
  /** The process id: the key a definition is deployed and called under. */
  id: string;
  name?: string | undefined;
  isExecutable: boolean;
  nodes: Map<string, FlowNode>;
  flows: Map<string, SequenceFlow>;
  /** Nodes at process level (not inside a sub-process). */
  topLevel: string[];
  /**
   * The file's other processes that a call activity of this one reaches (directly or through
   * another of them), by id: compiled with it, each run as a child instance of its definition
   * (engine/compile/called-processes.ts). One map, shared by this graph and those in it.
   */
  calledProcesses?: ReadonlyMap<string, ProcessGraph> | undefined;
  /** Process-level qt attributes (procedureCode, subjectsPerYear, timesPerYear, hourlyIncomeVnd). */
  procedure: {
    procedureCode?: string | undefined;
    subjectsPerYear?: number | undefined;
    timesPerYear?: number | undefined;
    hourlyIncomeVnd?: number | undefined;
    /** Circular 01 Art. 13.1.a: the procedure is published on the National Database of administrative procedures. */
    publishedOnline?: boolean | undefined;
    /** Circular 01 Art. 13.1.b: its forms can be downloaded there. */
    formsDownloadable?: boolean | undefined;
    /**
     * Decree 45 Art. 8: the identity assurance level an applicant's account needs to start this
     * procedure online (1 self-registered, 2 verified in person or by the national identity provider).
     */
    assuranceLevel?: 1 | 2 | undefined;
    /**
     * Circular 01 Art. 17.1.a: the other administrative procedures this restructuring cuts
     * (qt:cutProcedure children of the process). Read on the to-be model; empty when none.
     */
    cutProcedures?: CutProcedure[] | undefined;
    /** Calibration (docs/calibration.md): the model's figures were measured on this many dossiers, started from one day to another (YYYY-MM-DD). */
    calibratedFrom?: string | undefined;
    calibratedTo?: string | undefined;
    calibratedDossiers?: number | undefined;
  };
}
