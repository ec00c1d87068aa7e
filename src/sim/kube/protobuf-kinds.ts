// The kinds whose protobuf bodies the simulator reads: apiVersion/kind → the object's field table.
import { configMap, namespace, pod, secret, serviceAccount } from './protobuf-schema-core.js';
import type { MessageSchema } from './protobuf-schema.js';
import {
  clusterRole,
  clusterRoleBinding,
  deployment,
  job,
  role,
  roleBinding,
} from './protobuf-schema-workloads.js';

export const PROTOBUF_KINDS: ReadonlyMap<string, MessageSchema> = new Map([
  ['v1/Namespace', namespace],
  ['v1/Secret', secret],
  ['v1/ConfigMap', configMap],
  ['v1/ServiceAccount', serviceAccount],
  ['v1/Pod', pod],
  ['apps/v1/Deployment', deployment],
  ['batch/v1/Job', job],
  ['rbac.authorization.k8s.io/v1/Role', role],
  ['rbac.authorization.k8s.io/v1/RoleBinding', roleBinding],
  ['rbac.authorization.k8s.io/v1/ClusterRole', clusterRole],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', clusterRoleBinding],
]);
