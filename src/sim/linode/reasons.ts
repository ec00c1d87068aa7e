// Every error reason the simulated Linode API sends, so wording that is unverified against the real
// API (linode.md §6) is changed in one place.

export const REASON = {
  invalidToken: 'Invalid Token',
  /** Real (linode-cli#142): a token without the scope an endpoint needs gets 401, not 403. */
  missingScope: 'Your OAuth token is not authorized to use this endpoint.',
  notFound: 'Not found',
  /** Real: 429 "Too many requests" (linode.md §1). */
  tooManyRequests: 'Too many requests',
  /** Unverified: Cloud Manager's mocks use "Unauthorized" for a 403 (restricted user without a grant). */
  forbidden: 'Unauthorized',
  /** Unverified: the body of a 5xx (and of any other injected status). */
  serverError: 'Internal Server Error',
  busy: 'Linode busy.',
  invalidJson: 'Invalid JSON',
  /** Real wording seen in fixtures: "Invalid Linode ID 99999". */
  invalidLinodeId: (id: unknown): string => `Invalid Linode ID ${String(id)}`,
  /** Consumers (the CSI driver) substring-match "is already attached"; the rest is unverified. */
  alreadyAttached: (volumeId: number, linodeId: number): string =>
    `Volume ${volumeId} is already attached to Linode ${linodeId}`,
  /** Unverified: the real API's wording for detaching a volume that is not attached. */
  notAttached: (volumeId: number): string => `Volume ${volumeId} is not attached to a Linode`,
  /** Unverified wording (Cloud Manager disables Delete on an attached volume with this tooltip). */
  deleteAttached: 'Your volume must be detached before it can be deleted.',
  /** Unverified wording. */
  regionMismatch: 'Volume and Linode must be in the same region',
  /** Real: {"reason":"Linode is not active","field":"linode_id"}. */
  linodeNotActive: 'Linode is not active',
  /** Unverified wording. */
  tooManyVolumes: (max: number): string =>
    `Maximum number of block storage volumes (${max}) already attached to this Linode`,
  /** Real (pulumi/pulumi-linode#965). */
  noConfig:
    "Couldn't choose a configuration profile to add this volume to. Please add this volume to the configuration profile you want.",
  /** Unverified wording. */
  configWithoutPersist: 'config_id cannot be used when persist_across_boots is false',
  /** Unverified wording: volume create, clone and resize. */
  badLabel: 'Label must start with a letter and contain only letters, numbers, dashes and underscores',
  labelTaken: 'Label must be unique among your Volumes',
  regionOrLinode: 'Must provide a region or a Linode ID',
  badRegion: 'region is not valid',
  sizeRange: (min: number, max: number): string => `Size must be between ${min} and ${max}`,
  volumeNotActive: 'Volume is not active',
  resizeDown: (size: number): string => `Volumes can only be resized up (current size ${size} GB)`,
  required: (field: string): string => `${field} is required`,
  mustBeInteger: (field: string): string => `${field} must be an integer`,
  mustBeBoolean: (field: string): string => `${field} must be a boolean`,
  cannotFilter: (key: string): string => `Cannot filter on ${key}`,
  /** Unverified wording. */
  cannotOrder: (key: string): string => `Cannot order by ${key}`,
  /** Unverified wording. */
  badOrder: '+order must be "asc" or "desc"',
  /** Unverified wording. */
  badOperator: (op: string): string => `Unknown filter operator ${op}`,
  /** Unverified wording. */
  badFilter: 'Invalid X-Filter: expected a JSON object',
  /** Unverified wording; the spec says 25-500. */
  pageSize: 'Must be 25-500',
  /** Unverified wording. */
  page: 'Must be an integer greater than or equal to 1',
} as const;
