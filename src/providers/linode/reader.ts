// Read-only Linode access for steps and waits.
import { isRunbookError } from '../../engine/errors.js';
import type { LinodeReader } from '../../engine/ports.js';
import type { LinodeClient } from './connect.js';
import { withRetries } from '../shared/retry.js';
import { findLkeNode, listLkePools } from './lke.js';
import { linodeError, linodeRetryVerdict, linodeStatus } from './errors.js';
import { listNodeBalancers } from './nodebalancers.js';

const MAX_PAGES = 50;

/** What `read` returns, or `fallback` when the token may not read it. */
async function unlessRefused<T>(fallback: T, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isRunbookError(error) && error.code === 'access-refused') return fallback;
    throw error;
  }
}

export function createLinodeReader(client: LinodeClient): LinodeReader {
  const { call, apiUrl } = client;
  async function orUndefined<T>(doing: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await withRetries(read, linodeRetryVerdict);
    } catch (error) {
      if (linodeStatus(error) === 404) return undefined;
      throw linodeError(error, apiUrl, doing);
    }
  }
  async function must<T>(doing: string, read: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(read, linodeRetryVerdict);
    } catch (error) {
      throw linodeError(error, apiUrl, doing);
    }
  }
  async function allPages<T>(
    doing: string,
    fetchPage: (page: number) => Promise<{ data: T[]; pages: number }>,
  ): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const result = await must(doing, () => fetchPage(page));
      items.push(...result.data);
      if (page >= result.pages) return items;
    }
    throw linodeError(new Error(`more than ${MAX_PAGES} pages`), apiUrl, doing);
  }
  return {
    listVolumes: () =>
      allPages('list volumes', (page) => call((lib) => lib.getVolumes({ page, page_size: 500 }))),
    findLkeNode: (clusterId, linodeId) => findLkeNode(client, clusterId, linodeId),
    async identity() {
      const profile = await must('read the profile of the token', () => call((lib) => lib.getProfile()));
      return { account: profile.username, apiUrl };
    },
    getVolume: (id) => orUndefined(`read volume ${id}`, () => call((lib) => lib.getVolume(id))),
    async findVolumes(label) {
      const page = await must(`find volume ${label}`, () =>
        call((lib) => lib.getVolumes({ page_size: 100 }, { label })),
      );
      return page.data.filter((v) => v.label === label);
    },
    async snapshot() {
      const instances = await allPages('list Linodes', (page) =>
        call((lib) => lib.getLinodes({ page, page_size: 500 })),
      );
      const volumes = await allPages('list volumes', (page) =>
        call((lib) => lib.getVolumes({ page, page_size: 500 })),
      );
      // Detaches and recycles under way (or failed) decide what a runbook plans: one page, newest first.
      // A token without events:read_only or lke:read_only still gets a twin, without them.
      const events = await unlessRefused([], async () => {
        const page = await must('read the account events', () =>
          call((lib) => lib.getEvents({ page_size: 500 }, { '+order_by': 'created', '+order': 'desc' })),
        );
        return page.data;
      });
      const clusters = new Set(
        instances.flatMap((i) => (i.lke_cluster_id == null ? [] : [i.lke_cluster_id])),
      );
      const lkePools = [];
      for (const clusterId of clusters)
        lkePools.push(...(await unlessRefused([], () => listLkePools(client, clusterId))));
      return { instances, volumes, events, lkePools };
    },
    listNodeBalancers: () => listNodeBalancers(client, allPages),
    getInstance: (id) => orUndefined(`read Linode ${id}`, () => call((lib) => lib.getLinode(id))),
    async recentEvents(entityType, entityId, action) {
      const filter = {
        'entity.type': entityType,
        'entity.id': entityId,
        ...(action === undefined ? {} : { action }),
        '+order_by': 'created',
        '+order': 'desc',
      };
      const page = await must(`read events of ${entityType} ${entityId}`, () =>
        call((lib) => lib.getEvents({ page_size: 25 }, filter as never)),
      );
      return page.data;
    },
  };
}
