// What a route handler returns, and the error bodies Linode sends ({"errors":[{reason, field?}]}).

import { REASON } from './reasons.js';

export interface Reply {
  status: number;
  body: unknown;
}

export interface ApiErrorItem {
  reason: string;
  field?: string;
}

export function ok(body: unknown): Reply {
  return { status: 200, body };
}

export function apiError(status: number, reason: string, field?: string): Reply {
  const item: ApiErrorItem = field === undefined ? { reason } : { reason, field };
  return { status, body: { errors: [item] } };
}

export function notFound(): Reply {
  return apiError(404, REASON.notFound);
}
