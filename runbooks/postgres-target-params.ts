// The parameters that name the Postgres deployment a runbook port-forwards to when no URL is given.
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
