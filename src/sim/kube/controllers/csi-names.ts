// Names the Linode block-storage CSI path derives: PV names, Linode volume labels, volume
// handles and VolumeAttachment names, computed deterministically as the real components do.
import { sha256Hex } from '../ids.js';

export const CSI_DRIVER = 'linodebs.csi.linode.com';
export const ATTACHER_FINALIZER = 'external-attacher/linodebs-csi-linode-com';
export const VOLUME_LABEL_ANNOTATION = 'sim.runbook.dev/linode-volume-label';
export const LINODE_STORAGE_CLASSES = ['linode-block-storage-retain', 'linode-block-storage'];

/** `pvc-<16 hex>`, derived from the claim so a scenario always gets the same name. */
export function pvNameFor(namespace: string, claim: string): string {
  return `pvc-${sha256Hex(`${namespace}/${claim}`).slice(0, 16)}`;
}

/** The Linode label for a PV: `pvc<16hex>` (drivers before v1.0.0) or `pvc-<16hex>`. */
export function volumeLabelFor(pvName: string, form: 'pvc' | 'pvc-'): string {
  return form === 'pvc' ? pvName.replace(/-/g, '') : pvName;
}

export function volumeHandle(volumeId: number, label: string): string {
  return `${volumeId}-${label}`;
}

export function volumeIdOfHandle(handle: string | undefined): number | undefined {
  const m = handle === undefined ? null : /^(\d+)-/.exec(handle);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** `csi-<sha256(pvName + driver + nodeName)>`, as the in-tree CSI attacher names it. */
export function attachmentName(pvName: string, nodeName: string): string {
  return `csi-${sha256Hex(`${pvName}${CSI_DRIVER}${nodeName}`)}`;
}

/** Size in GiB from a quantity such as "10Gi" (Linode's minimum is 10). */
export function sizeGiB(quantity: unknown): number {
  const text =
    typeof quantity === 'string' ? quantity : typeof quantity === 'number' ? String(quantity) : '10Gi';
  const m = /^(\d+(?:\.\d+)?)([KMGTP]i?)?$/.exec(text);
  if (m?.[1] === undefined) return 10;
  const value = Number(m[1]);
  const unit = m[2] ?? '';
  const factor: Record<string, number> = {
    '': 1 / 2 ** 30,
    Ki: 1 / 2 ** 20,
    Mi: 1 / 2 ** 10,
    Gi: 1,
    Ti: 2 ** 10,
    Pi: 2 ** 20,
    K: 1e3 / 2 ** 30,
    M: 1e6 / 2 ** 30,
    G: 1e9 / 2 ** 30,
    T: 1e12 / 2 ** 30,
    P: 1e15 / 2 ** 30,
  };
  return Math.max(10, Math.ceil(value * (factor[unit] ?? 1)));
}
