// Field tables for apimachinery's meta/v1 messages every object carries (ObjectMeta, LabelSelector).
import { f, list, message, pointerBool, strings } from './protobuf-schema.js';

const ownerReference = message('OwnerReference', {
  1: f('kind', 'string'),
  3: f('name', 'string'),
  4: f('uid', 'string'),
  5: f('apiVersion', 'string'),
  6: pointerBool('controller'),
  7: pointerBool('blockOwnerDeletion'),
});

export const objectMeta = message('ObjectMeta', {
  1: f('name', 'string'),
  2: f('generateName', 'string'),
  3: f('namespace', 'string'),
  4: f('selfLink', 'string'),
  5: f('uid', 'string'),
  6: f('resourceVersion', 'string'),
  7: f('generation', 'int'),
  8: f('creationTimestamp', 'time'),
  9: f('deletionTimestamp', 'time'),
  10: f('deletionGracePeriodSeconds', 'int', { pointer: true }),
  11: f('labels', { map: 'string' }),
  12: f('annotations', { map: 'string' }),
  13: list('ownerReferences', ownerReference),
  14: strings('finalizers'),
});

const labelSelectorRequirement = message('LabelSelectorRequirement', {
  1: f('key', 'string'),
  2: f('operator', 'string'),
  3: strings('values'),
});

export const labelSelector = message('LabelSelector', {
  1: f('matchLabels', { map: 'string' }),
  2: list('matchExpressions', labelSelectorRequirement),
});
