/**
 * The product's BPMN extension, namespace `urn:quytrinh:bpmn:1.0`, prefix `qt`: the Standard Cost
 * Model inputs analysts enter on a model (Circular 01 Art. 18), the dossier components a step
 * takes in (Art. 17.1.c), and the few execution hints BPMN 2.0 has no attribute for.
 *
 * Each attribute is declared on the BPMN type that carries it (`extends`), so bpmn-moddle reads it
 * as a typed property (`task.dueWorkingHours` is a number) and writes it back on export. The
 * engine's reader and the designer's modeler register the same descriptor, so a model saved
 * in one reads the same in the other.
 */
import qtDescriptor from './qt-moddle.json' with { type: 'json' };

export const qtModdleDescriptor = qtDescriptor;
