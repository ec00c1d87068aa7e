// The preflight's "may I?": one SelfSubjectAccessReview per permission, as kubectl auth can-i asks.
import type { AccessReviewer } from '../../engine/permissions/preflight.js';
import type { KubeClients } from './connect.js';
import { kubeError, kubeRetryVerdict } from './errors.js';
import { withRetries } from '../shared/retry.js';

export function createAccessReviewer(clients: KubeClients): AccessReviewer {
  const authorization = clients.config.makeApiClient(clients.lib.AuthorizationV1Api);
  return {
    async allowed(p, namespace) {
      const [resource = '', subresource = ''] = p.resource.split('/');
      try {
        // A question, stored nowhere: asked again after a 429, a 5xx or a dropped connection.
        const review = await withRetries(
          () =>
            authorization.createSelfSubjectAccessReview({
              body: {
                apiVersion: 'authorization.k8s.io/v1',
                kind: 'SelfSubjectAccessReview',
                spec: {
                  resourceAttributes: {
                    verb: p.verb,
                    group: p.group,
                    resource,
                    ...(subresource === '' ? {} : { subresource }),
                    ...(namespace === undefined ? {} : { namespace }),
                  },
                },
              },
            }),
          kubeRetryVerdict,
        );
        return review.status?.allowed === true;
      } catch (error) {
        throw kubeError(
          error,
          clients.identity.server,
          `ask whether it may ${p.verb} ${p.resource}${namespace === undefined ? '' : ` in ${namespace}`}`,
        );
      }
    },
  };
}
