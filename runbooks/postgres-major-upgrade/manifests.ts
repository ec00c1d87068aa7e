// The manifests postgres-major-upgrade applies: the side deployment that runs the new version on the
// new claim (labelled apart, so no Service sends it traffic), and the change that points the
// Postgres deployment at an image and a claim (the switch, and its undo).
import type { KubeManifest, V1Deployment } from '../../src/authoring.js';
import type { Current } from './current.js';

/** A copy of the deployment's pods with the new image on the new claim, under labels of its own. */
export function sideDeployment(
  found: V1Deployment,
  current: Current,
  name: string,
  image: string,
  claim: string,
): KubeManifest {
  const template = found.spec?.template.spec;
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: current.namespace, labels },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...template,
          containers: (template?.containers ?? []).map((c) =>
            c.name === current.container ? { ...c, image } : c,
          ),
          volumes: (template?.volumes ?? []).map((v) =>
            v.name === current.dataVolume ? { name: v.name, persistentVolumeClaim: { claimName: claim } } : v,
          ),
        },
      },
    },
  };
}

/**
 * Only the image of the Postgres container and the claim of its data volume (server-side apply), with
 * the file name it is shown under and what it says.
 */
export function pointAt(
  current: Current,
  image: string,
  claim: string,
): { manifest: KubeManifest; source: string; says: string } {
  return {
    manifest: pointManifest(current, image, claim),
    source: `${current.deployment}-on-${claim}.yaml`,
    says: `${current.deployment}-on-${claim}.yaml: container ${current.container} image ${image}, volume ${current.dataVolume} on claim ${claim}; nothing else of the deployment`,
  };
}

function pointManifest(current: Current, image: string, claim: string): KubeManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: current.deployment, namespace: current.namespace },
    spec: {
      template: {
        spec: {
          containers: [{ name: current.container, image }],
          volumes: [{ name: current.dataVolume, persistentVolumeClaim: { claimName: claim } }],
        },
      },
    },
  };
}

/** The image and claim the deployment runs now. */
export function runningOn(
  found: V1Deployment | undefined,
  current: Current,
): { image?: string; claim?: string } {
  const spec = found?.spec?.template.spec;
  return {
    image: spec?.containers.find((c) => c.name === current.container)?.image,
    claim: spec?.volumes?.find((v) => v.name === current.dataVolume)?.persistentVolumeClaim?.claimName,
  };
}
