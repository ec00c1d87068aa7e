// The kinds whose protobuf bodies the simulator reads: apiVersion/kind → the object's field table.
import { configMap, namespace, pod, secret, service, serviceAccount } from './protobuf-schema-core.js';
import type { MessageSchema } from './protobuf-schema.js';
import {
  clusterRole,
  clusterRoleBinding,
  cronJob,
  deployment,
  job,
  podDisruptionBudget,
  role,
  roleBinding,
} from './protobuf-schema-workloads.js';

export const PROTOBUF_KINDS: ReadonlyMap<string, MessageSchema> = new Map([
  ['v1/Namespace', namespace],
  ['v1/Secret', secret],
  ['v1/ConfigMap', configMap],
  ['v1/ServiceAccount', serviceAccount],
  ['v1/Service', service],
  ['v1/Pod', pod],
  ['apps/v1/Deployment', deployment],
  ['batch/v1/Job', job],
  ['batch/v1/CronJob', cronJob],
  ['policy/v1/PodDisruptionBudget', podDisruptionBudget],
  ['rbac.authorization.k8s.io/v1/Role', role],
  ['rbac.authorization.k8s.io/v1/RoleBinding', roleBinding],
  ['rbac.authorization.k8s.io/v1/ClusterRole', clusterRole],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', clusterRoleBinding],
]);
