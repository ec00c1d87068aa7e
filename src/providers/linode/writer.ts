// The Linode mutations the executor may perform. Nothing else in the project writes to Linode.
import type { LinodeWriter } from '../../engine/ports.js';
import type { LinodeClient } from './connect.js';
import { withRetries } from '../shared/retry.js';
import { rebootLinode, recycleLkeNode } from './lke.js';
import {
  linodeError,
  linodeReasons,
  linodeRetryVerdict,
  linodeRetryVerdictIfUnprocessed,
  linodeStatus,
} from './errors.js';

/** A detach that finds the volume already detached (the CSI driver got there first) has done its job. */
const alreadyDetached = (error: unknown): boolean =>
  linodeStatus(error) === 400 && /not attached/i.test(linodeReasons(error));

export function createLinodeWriter(client: LinodeClient): LinodeWriter {
  const { call, apiUrl } = client;
  return {
    recycleLkeNode: (clusterId, nodeId) => recycleLkeNode(client, clusterId, nodeId),
    rebootLinode: (linodeId) => rebootLinode(client, linodeId),
    async createVolume({ label, size, region, linodeId }) {
      try {
        // Not retried once sent: a lost answer to a create could make a second volume.
        await withRetries(
          () =>
            call((lib) =>
              lib.createVolume({
                label,
                size,
                region,
                ...(linodeId === undefined ? {} : { linode_id: linodeId }),
              }),
            ),
          linodeRetryVerdictIfUnprocessed,
        );
      } catch (error) {
        throw linodeError(error, apiUrl, `create volume ${label}`);
      }
    },
    async cloneVolume(sourceId, label) {
      try {
        await withRetries(
          () => call((lib) => lib.cloneVolume(sourceId, { label })),
          linodeRetryVerdictIfUnprocessed,
        );
      } catch (error) {
        throw linodeError(error, apiUrl, `clone volume ${sourceId} as ${label}`);
      }
    },
    async resizeVolume(volumeId, size) {
      try {
        await withRetries(
          () => call((lib) => lib.resizeVolume(volumeId, { size })),
          linodeRetryVerdictIfUnprocessed,
        );
      } catch (error) {
        throw linodeError(error, apiUrl, `resize volume ${volumeId} to ${size} GiB`);
      }
    },
    async detachVolume(volumeId) {
      try {
        // A second detach of the same volume is harmless (already detaching, or detached).
        await withRetries(() => call((lib) => lib.detachVolume(volumeId)), linodeRetryVerdict);
      } catch (error) {
        if (alreadyDetached(error)) return;
        throw linodeError(error, apiUrl, `detach volume ${volumeId}`);
      }
    },
    async attachVolume(volumeId, linodeId) {
      try {
        // persist_across_boots:false is what the CSI driver sends; api-v4's payload type lacks it.
        await withRetries(
          () =>
            call((lib) =>
              lib.baseRequest.post(`${apiUrl}/volumes/${volumeId}/attach`, {
                linode_id: linodeId,
                persist_across_boots: false,
              }),
            ),
          linodeRetryVerdictIfUnprocessed,
        );
      } catch (error) {
        throw linodeError(error, apiUrl, `attach volume ${volumeId} to Linode ${linodeId}`);
      }
    },
  };
}
