// Linode plan types the simulator knows, with the specs the API reports for them.

export interface TypeSpecs {
  disk: number;
  memory: number;
  vcpus: number;
  gpus: number;
  transfer: number;
}

const TYPES: Record<string, TypeSpecs> = {
  'g6-nanode-1': { disk: 25_600, memory: 1024, vcpus: 1, gpus: 0, transfer: 1000 },
  'g6-standard-1': { disk: 51_200, memory: 2048, vcpus: 1, gpus: 0, transfer: 2000 },
  'g6-standard-2': { disk: 81_920, memory: 4096, vcpus: 2, gpus: 0, transfer: 4000 },
  'g6-standard-4': { disk: 163_840, memory: 8192, vcpus: 4, gpus: 0, transfer: 5000 },
  'g6-standard-6': { disk: 327_680, memory: 16_384, vcpus: 6, gpus: 0, transfer: 8000 },
  'g6-standard-8': { disk: 655_360, memory: 32_768, vcpus: 8, gpus: 0, transfer: 16_000 },
  'g6-dedicated-2': { disk: 81_920, memory: 4096, vcpus: 2, gpus: 0, transfer: 4000 },
  'g6-dedicated-4': { disk: 163_840, memory: 8192, vcpus: 4, gpus: 0, transfer: 5000 },
};

export const DEFAULT_TYPE = 'g6-standard-2';

/** Specs of a known type; unknown types get g6-standard-2's so scenarios may name any plan. */
export function specsOf(type: string): TypeSpecs {
  return TYPES[type] ?? (TYPES[DEFAULT_TYPE] as TypeSpecs);
}

/** How many volumes a Linode may have attached: clamp(RAM in GiB, 8, 64) (techdocs post-attach-volume). */
export function maxVolumes(type: string): number {
  return Math.min(64, Math.max(8, Math.floor(specsOf(type).memory / 1024)));
}
