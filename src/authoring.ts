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
/** The pod and node objects the Readers return, as @kubernetes/client-node types them. */
export type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
export { linodeIdOfNode, podIsReady, selectorOf } from './engine/kubernetes-helpers.js';
