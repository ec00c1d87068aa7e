// Field tables for the apps/v1, batch/v1, policy/v1 and rbac/v1 messages `kubectl create
// deployment|job|cronjob|pdb|role|rolebinding|clusterrole|clusterrolebinding` send (k8s.io/api
// generated.proto files).
import { labelSelector, objectMeta, podTemplateSpec } from './protobuf-schema-core.js';
import { f, ignoredStatus, list, message, pointerBool, pointerInt, strings } from './protobuf-schema.js';

const rollingUpdateDeployment = message('RollingUpdateDeployment', {
  1: f('maxUnavailable', 'intOrString'),
  2: f('maxSurge', 'intOrString'),
});

export const deployment = message('Deployment', {
  1: f('metadata', objectMeta),
  2: f(
    'spec',
    message('DeploymentSpec', {
      1: pointerInt('replicas'),
      2: f('selector', labelSelector),
      3: f('template', podTemplateSpec),
      4: f(
        'strategy',
        message('DeploymentStrategy', {
          1: f('type', 'string'),
          2: f('rollingUpdate', rollingUpdateDeployment),
        }),
      ),
      5: f('minReadySeconds', 'int'),
      6: pointerInt('revisionHistoryLimit'),
      7: f('paused', 'bool'),
      9: pointerInt('progressDeadlineSeconds'),
    }),
  ),
  3: f('status', ignoredStatus('DeploymentStatus')),
});

const jobSpec = message('JobSpec', {
  1: pointerInt('parallelism'),
  2: pointerInt('completions'),
  3: pointerInt('activeDeadlineSeconds'),
  4: f('selector', labelSelector),
  5: pointerBool('manualSelector'),
  6: f('template', podTemplateSpec),
  7: pointerInt('backoffLimit'),
  8: pointerInt('ttlSecondsAfterFinished'),
  9: f('completionMode', 'string'),
  10: pointerBool('suspend'),
});

export const job = message('Job', {
  1: f('metadata', objectMeta),
  2: f('spec', jobSpec),
  3: f('status', ignoredStatus('JobStatus')),
});

export const cronJob = message('CronJob', {
  1: f('metadata', objectMeta),
  2: f(
    'spec',
    message('CronJobSpec', {
      1: f('schedule', 'string'),
      2: pointerInt('startingDeadlineSeconds'),
      3: f('concurrencyPolicy', 'string'),
      4: pointerBool('suspend'),
      5: f(
        'jobTemplate',
        message('JobTemplateSpec', { 1: f('metadata', objectMeta), 2: f('spec', jobSpec) }),
      ),
      6: pointerInt('successfulJobsHistoryLimit'),
      7: pointerInt('failedJobsHistoryLimit'),
    }),
  ),
  3: f('status', ignoredStatus('CronJobStatus')),
});

export const podDisruptionBudget = message('PodDisruptionBudget', {
  1: f('metadata', objectMeta),
  2: f(
    'spec',
    message('PodDisruptionBudgetSpec', {
      1: f('minAvailable', 'intOrString'),
      2: f('selector', labelSelector),
      3: f('maxUnavailable', 'intOrString'),
    }),
  ),
  3: f('status', ignoredStatus('PodDisruptionBudgetStatus')),
});

const policyRule = message('PolicyRule', {
  1: strings('verbs'),
  2: strings('apiGroups'),
  3: strings('resources'),
  4: strings('resourceNames'),
  5: strings('nonResourceURLs'),
});

export const role = message('Role', { 1: f('metadata', objectMeta), 2: list('rules', policyRule) });

export const clusterRole = message('ClusterRole', {
  1: f('metadata', objectMeta),
  2: list('rules', policyRule),
  3: f('aggregationRule', message('AggregationRule', { 1: list('clusterRoleSelectors', labelSelector) })),
});

const subject = message('Subject', {
  1: f('kind', 'string'),
  2: f('apiGroup', 'string'),
  3: f('name', 'string'),
  4: f('namespace', 'string'),
});

const roleRef = message('RoleRef', {
  1: f('apiGroup', 'string'),
  2: f('kind', 'string'),
  3: f('name', 'string'),
});

export const roleBinding = message('RoleBinding', {
  1: f('metadata', objectMeta),
  2: list('subjects', subject),
  3: f('roleRef', roleRef),
});

export const clusterRoleBinding = message('ClusterRoleBinding', {
  1: f('metadata', objectMeta),
  2: list('subjects', subject),
  3: f('roleRef', roleRef),
});
