// Lists in pages (limit/continue) with a hard cap, so no list is ever unbounded.

export const PAGE_SIZE = 250;
const MAX_PAGES = 400;

interface Page<T> {
  items: T[];
  metadata?: { _continue?: string };
}

export async function listAllPages<T>(
  fetchPage: (cont: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let cont: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(cont);
    items.push(...result.items);
    cont = result.metadata?._continue;
    if (cont === undefined || cont === '') return items;
  }
  throw new Error(`more than ${MAX_PAGES * PAGE_SIZE} objects: refusing to list further`);
}
