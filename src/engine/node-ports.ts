// The shapes node and volume runbooks read and act on (pods to evict, who mounts a claim, an LKE
// node), kept apart from ports.ts so those runbooks' additions stay in one place.
import type { ScaleTarget } from './vocabulary/index.js';

/** One incarnation of a pod: an eviction or a wait never touches a replacement with another uid. */
export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** A Deployment or StatefulSet and the PersistentVolumeClaims its pods mount. */
export interface ClaimUser {
  readonly target: ScaleTarget;
  readonly replicas: number;
  /** Its pods, as a label selector (spec.selector.matchLabels). */
  readonly selector: string;
  /** Claim names; for a StatefulSet, `<template>-<name>-<ordinal>` for each ordinal it wants. */
  readonly claims: readonly string[];
}

/** An LKE node as the Linode API shows it (ids from GET /lke/clusters/{id}/pools). */
export interface LkeNodeView {
  readonly clusterId: number;
  readonly poolId: number;
  /** A string, e.g. "16405-5fafd1b46dcf". */
  readonly nodeId: string;
  /** null while a replacement is provisioned. */
  readonly instanceId: number | null;
  /** LKE's creation state (ready | not_ready), not kubectl's Ready. */
  readonly status: string;
}

/** How an eviction batch ended: pods a PodDisruptionBudget still refused when its time ran out. */
export interface EvictionBlocked {
  readonly pod: PodRef;
  /** The API server's reason, which names the budget. */
  readonly reason: string;
}
