// Read-only Linode access for steps and waits.
import type { LinodeReader } from '../../engine/ports.js';
import type { LinodeClient } from './connect.js';
import { linodeError, linodeStatus } from './errors.js';

export function createLinodeReader(client: LinodeClient): LinodeReader {
  const { lib, apiUrl } = client;
  async function orUndefined<T>(doing: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (linodeStatus(error) === 404) return undefined;
      throw linodeError(error, apiUrl, doing);
    }
  }
  async function must<T>(doing: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw linodeError(error, apiUrl, doing);
    }
  }
  return {
    async identity() {
      const profile = await must('read the profile of the token', () => lib.getProfile());
      return { account: profile.username, apiUrl };
    },
    getVolume: (id) => orUndefined(`read volume ${id}`, () => lib.getVolume(id)),
    async findVolumes(label) {
      const page = await must(`find volume ${label}`, () => lib.getVolumes({ page_size: 100 }, { label }));
      return page.data.filter((v) => v.label === label);
    },
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
