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
export type { Readers } from './engine/ports.js';
export { linodeIdOfNode, podIsReady, selectorOf } from './engine/kubernetes-helpers.js';
