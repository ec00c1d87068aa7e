// The parameters that name the Postgres deployment a runbook port-forwards to when no URL is given,
// and the declaration that tells the CLI so (`needs.postgres.target`).
import type { PostgresDeployment } from '../src/engine/needs.js';
import { k8sName } from '../src/engine/params.js';

export const postgresTargetParams = {
  namespace: k8sName({
    description: 'namespace of the Postgres deployment to port-forward to',
    default: 'default',
    label: true,
  }),
  deployment: k8sName({
    description: 'the Postgres deployment to port-forward to (without --database-url)',
    default: 'postgres',
  }),
};

/** The deployment those parameters name: what a runbook with them declares as its Postgres target. */
export const postgresTarget = (params: PostgresDeployment): PostgresDeployment => ({
  namespace: params.namespace,
  deployment: params.deployment,
});
