// Field tables for the core/v1 messages `kubectl create` and `kubectl run` send (k8s.io/api
// core/v1 generated.proto): Namespace, Secret, ConfigMap, ServiceAccount, Service, Pod and its template.
import { labelSelector, objectMeta } from './protobuf-schema-meta.js';
import { f, ignoredStatus, list, message, pointerBool, pointerInt, strings } from './protobuf-schema.js';

export { labelSelector, objectMeta };

const localObjectReference = message('LocalObjectReference', { 1: f('name', 'string') });

const objectReference = message('ObjectReference', {
  1: f('kind', 'string'),
  2: f('namespace', 'string'),
  3: f('name', 'string'),
  4: f('uid', 'string'),
  5: f('apiVersion', 'string'),
  6: f('resourceVersion', 'string'),
  7: f('fieldPath', 'string'),
});

export const namespace = message('Namespace', {
  1: f('metadata', objectMeta),
  2: f('spec', message('NamespaceSpec', { 1: strings('finalizers') })),
  3: f('status', ignoredStatus('NamespaceStatus')),
});

export const secret = message('Secret', {
  1: f('metadata', objectMeta),
  2: f('data', { map: 'bytes' }),
  3: f('type', 'string'),
  4: f('stringData', { map: 'string' }),
  5: pointerBool('immutable'),
});

export const configMap = message('ConfigMap', {
  1: f('metadata', objectMeta),
  2: f('data', { map: 'string' }),
  3: f('binaryData', { map: 'bytes' }),
  4: pointerBool('immutable'),
});

export const serviceAccount = message('ServiceAccount', {
  1: f('metadata', objectMeta),
  2: list('secrets', objectReference),
  3: list('imagePullSecrets', localObjectReference),
  4: pointerBool('automountServiceAccountToken'),
});

const containerPort = message('ContainerPort', {
  1: f('name', 'string'),
  2: f('hostPort', 'int'),
  3: f('containerPort', 'int'),
  4: f('protocol', 'string'),
  5: f('hostIP', 'string'),
});

const envVar = message('EnvVar', { 1: f('name', 'string'), 2: f('value', 'string') });

const resourceRequirements = message('ResourceRequirements', {
  1: f('limits', { map: 'quantity' }),
  2: f('requests', { map: 'quantity' }),
});

const volumeMount = message('VolumeMount', {
  1: f('name', 'string'),
  2: f('readOnly', 'bool'),
  3: f('mountPath', 'string'),
  4: f('subPath', 'string'),
  5: f('mountPropagation', 'string'),
  6: f('subPathExpr', 'string'),
});

const container = message('Container', {
  1: f('name', 'string'),
  2: f('image', 'string'),
  3: strings('command'),
  4: strings('args'),
  5: f('workingDir', 'string'),
  6: list('ports', containerPort),
  7: list('env', envVar),
  8: f('resources', resourceRequirements),
  9: list('volumeMounts', volumeMount),
  13: f('terminationMessagePath', 'string'),
  14: f('imagePullPolicy', 'string'),
  16: f('stdin', 'bool'),
  17: f('stdinOnce', 'bool'),
  18: f('tty', 'bool'),
  20: f('terminationMessagePolicy', 'string'),
});

const toleration = message('Toleration', {
  1: f('key', 'string'),
  2: f('operator', 'string'),
  3: f('value', 'string'),
  4: f('effect', 'string'),
  5: pointerInt('tolerationSeconds'),
});

const podSpec = message('PodSpec', {
  2: list('containers', container),
  3: f('restartPolicy', 'string'),
  4: pointerInt('terminationGracePeriodSeconds'),
  5: pointerInt('activeDeadlineSeconds'),
  6: f('dnsPolicy', 'string'),
  7: f('nodeSelector', { map: 'string' }),
  8: f('serviceAccountName', 'string'),
  9: f('serviceAccount', 'string'),
  10: f('nodeName', 'string'),
  11: f('hostNetwork', 'bool'),
  12: f('hostPID', 'bool'),
  13: f('hostIPC', 'bool'),
  15: list('imagePullSecrets', localObjectReference),
  16: f('hostname', 'string'),
  17: f('subdomain', 'string'),
  19: f('schedulerName', 'string'),
  20: list('initContainers', container),
  21: pointerBool('automountServiceAccountToken'),
  22: list('tolerations', toleration),
  24: f('priorityClassName', 'string'),
  25: pointerInt('priority'),
  30: pointerBool('enableServiceLinks'),
});

export const podTemplateSpec = message('PodTemplateSpec', {
  1: f('metadata', objectMeta),
  2: f('spec', podSpec),
});

export const pod = message('Pod', {
  1: f('metadata', objectMeta),
  2: f('spec', podSpec),
  3: f('status', ignoredStatus('PodStatus')),
});

const servicePort = message('ServicePort', {
  1: f('name', 'string'),
  2: f('protocol', 'string'),
  3: f('port', 'int'),
  4: f('targetPort', 'intOrString'),
  5: f('nodePort', 'int'),
});

export const service = message('Service', {
  1: f('metadata', objectMeta),
  2: f(
    'spec',
    message('ServiceSpec', {
      1: list('ports', servicePort),
      2: f('selector', { map: 'string' }),
      3: f('clusterIP', 'string'),
      4: f('type', 'string'),
      5: strings('externalIPs'),
      7: f('sessionAffinity', 'string'),
      8: f('loadBalancerIP', 'string'),
      9: strings('loadBalancerSourceRanges'),
      10: f('externalName', 'string'),
      11: f('externalTrafficPolicy', 'string'),
      12: f('healthCheckNodePort', 'int'),
      13: f('publishNotReadyAddresses', 'bool'),
    }),
  ),
  3: f('status', ignoredStatus('ServiceStatus')),
});
