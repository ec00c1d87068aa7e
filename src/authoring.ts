// The public authoring surface: the one import a team's own runbook needs (`import … from 'runbook'`).
// Everything here is also what the built-in runbooks use; nothing of the CLI, providers or simulator.
export {
  defineRunbook,
  type AnyRunbook,
  type Check,
  type Facts,
  type PlanContext,
  type Runbook,
  type Step,
  type StepPlan,
} from './engine/runbook.js';
export {
  defineSteps,
  type StepContext,
  type StepDefinition,
  type StepGroup,
  type TypedRunbook,
} from './engine/typed-steps.js';
export type { BarePlan, PlanResult, PlanWith, Prefixed, Provided } from './engine/step-facts.js';
export type { Needs, PostgresDeployment, PostgresNeed } from './engine/needs.js';
export type { OmittedObject } from './engine/journal-facts.js';
export {
  choice,
  directoryPath,
  filePath,
  integer,
  k8sName,
  text,
  writableDirectory,
  type ParamSpec,
  type ParamSpecs,
  type ParamsOf,
} from './engine/params.js';
export * from './engine/vocabulary/index.js';
export type {
  ContainerResources,
  PostgresReader,
  Readers,
  ResourceAmounts,
  WorkloadRef,
  WorkloadView,
} from './engine/ports.js';
export { RunbookError, preconditionFailed } from './engine/errors.js';
export { linodeIdOfNode, podIsReady, selectorOf } from './engine/kubernetes-helpers.js';
// The Kubernetes objects the Readers return, by name, for a team's own helpers (`(pod: V1Pod) => …`).
// An installed copy carries their declarations (scripts/vendor-client-node-types.mjs): a team's folder
// needs no @kubernetes/client-node of its own for its editor to know them.
export type { CoreV1Event, V1DaemonSet, V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
export type { V1PersistentVolume, V1PersistentVolumeClaim, V1StatefulSet } from '@kubernetes/client-node';
export type { V1PodDisruptionBudget, V1VolumeAttachment } from '@kubernetes/client-node';
// The Linode objects the Readers return.
export type { Event as LinodeEvent, Linode, Volume } from '@linode/api-v4';
