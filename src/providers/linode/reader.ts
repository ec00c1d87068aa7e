// Read-only Linode access for steps and waits.
import type { LinodeReader } from '../../engine/ports.js';
import type { LinodeClient } from './connect.js';
import { withRetries } from '../shared/retry.js';
import { findLkeNode } from './lke.js';
import { linodeError, linodeRetryVerdict, linodeStatus } from './errors.js';
import { listNodeBalancers } from './nodebalancers.js';

const MAX_PAGES = 50;

export function createLinodeReader(client: LinodeClient): LinodeReader {
  const { lib, apiUrl } = client;
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
    listVolumes: () => allPages('list volumes', (page) => lib.getVolumes({ page, page_size: 500 })),
    findLkeNode: (clusterId, linodeId) => findLkeNode(client, clusterId, linodeId),
    async identity() {
      const profile = await must('read the profile of the token', () => lib.getProfile());
      return { account: profile.username, apiUrl };
    },
    getVolume: (id) => orUndefined(`read volume ${id}`, () => lib.getVolume(id)),
    async findVolumes(label) {
      const page = await must(`find volume ${label}`, () => lib.getVolumes({ page_size: 100 }, { label }));
      return page.data.filter((v) => v.label === label);
    },
    async snapshot() {
      const instances = await allPages('list Linodes', (page) => lib.getLinodes({ page, page_size: 500 }));
      const volumes = await allPages('list volumes', (page) => lib.getVolumes({ page, page_size: 500 }));
      return { instances, volumes };
    },
    listNodeBalancers: () => listNodeBalancers(client, allPages),
    getInstance: (id) => orUndefined(`read Linode ${id}`, () => lib.getLinode(id)),
    async recentEvents(entityType, entityId, action) {
      const filter = {
        'entity.type': entityType,
        'entity.id': entityId,
        ...(action === undefined ? {} : { action }),
        '+order_by': 'created',
        '+order': 'desc',
      };
      const page = await must(`read events of ${entityType} ${entityId}`, () =>
        lib.getEvents({ page_size: 25 }, filter as never),
      );
      return page.data;
    },
  };
}
