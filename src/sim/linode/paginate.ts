// Linode's page envelope ({data, page, pages, results}; page from 1; page_size 25–500, default 100)
// and the collection pipeline every list endpoint shares: X-Filter, sort, then page.
import { applyQuery, parseFilter } from './filter.js';
import { REASON } from './reasons.js';
import { apiError, ok, type Reply } from './reply.js';

export const DEFAULT_PAGE_SIZE = 100;

function intParam(text: string | null): number | undefined {
  if (text === null) return undefined;
  return /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
}

export function paginate(items: readonly unknown[], query: URLSearchParams): Reply {
  const size = intParam(query.get('page_size')) ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 25 || size > 500) return apiError(400, REASON.pageSize, 'page_size');
  const page = intParam(query.get('page')) ?? 1;
  if (!Number.isInteger(page) || page < 1) return apiError(400, REASON.page, 'page');
  const pages = Math.max(1, Math.ceil(items.length / size));
  // Beyond the last page the data is empty; the real behaviour is unverified (linode.md §6).
  const data = items.slice((page - 1) * size, page * size);
  return ok({ data, page, pages, results: items.length });
}

export interface CollectionRequest {
  query: URLSearchParams;
  filterHeader: string | undefined;
}

/** Filters (X-Filter on `filterable` fields), sorts and pages a collection's items. */
export function collection(
  request: CollectionRequest,
  items: ReadonlyArray<Record<string, unknown>>,
  filterable: ReadonlySet<string>,
): Reply {
  const query = parseFilter(request.filterHeader, filterable);
  if ('status' in query) return query;
  return paginate(applyQuery(items, query), request.query);
}
