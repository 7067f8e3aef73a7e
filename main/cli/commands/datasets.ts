import type { ApiClient } from '../../api/client';
import type { Dataset, Item } from '../../api/datasets';
import { openEngineSession } from '../engineSession';
import { formatTable, printJson } from '../output';

export interface BrowseOptions {
  dataDir?: string;
  json?: boolean;
}

/** A dataset by name, or by id when all digits. */
export async function findDataset(client: ApiClient, nameOrId: string): Promise<Dataset> {
  const all = await client.call('datasets.list', {});
  const found = all.find((d) => d.name === nameOrId) ?? all.find((d) => String(d.id) === nameOrId);
  if (!found)
    throw new Error(
      `No dataset named "${nameOrId}". ${all.length > 0 ? `Known: ${all.map((d) => d.name).join(', ')}.` : 'Import one with: codepercept import FILE --format ...'}`,
    );
  return found;
}

function oneLine(text: string | null, width: number): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function preview(item: Item): string {
  return oneLine(item.question ?? item.caption ?? item.code, 70);
}

export async function datasetsCommand(options: BrowseOptions): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept datasets', { runJobs: false });
  try {
    const all = await session.client.call('datasets.list', {});
    if (options.json) printJson(all);
    else if (all.length === 0)
      process.stdout.write('No datasets yet. Try: codepercept import FILE --format stem2code\n');
    else
      process.stdout.write(
        `${formatTable(
          ['ID', 'NAME', 'KIND', 'ITEMS', 'SOURCE'],
          all.map((d) => [String(d.id), d.name, d.kind, String(d.itemCount), d.source]),
        )}\n`,
      );
  } finally {
    await session.close();
  }
}

export async function itemsCommand(
  dataset: string,
  options: BrowseOptions & { category?: string; tag?: string; limit?: number; after?: number },
): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept items', { runJobs: false });
  try {
    const ds = await findDataset(session.client, dataset);
    const page = await session.client.call('items.page', {
      datasetId: ds.id,
      limit: options.limit ?? 20,
      ...(options.category ? { category: options.category } : {}),
      ...(options.tag ? { tag: options.tag } : {}),
      ...(options.after ? { after: options.after } : {}),
    });
    if (options.json) {
      printJson(page);
      return;
    }
    process.stdout.write(
      `${formatTable(
        ['ID', 'UID', 'CATEGORY', 'TAGS', 'TEXT'],
        page.items.map((i) => [String(i.id), i.uid, i.category ?? '', i.tags.join(','), preview(i)]),
      )}\n`,
    );
    if (page.next !== null) process.stdout.write(`More: codepercept items ${dataset} --after ${page.next}\n`);
  } finally {
    await session.close();
  }
}

export async function searchCommand(
  dataset: string,
  query: string,
  options: BrowseOptions & { limit?: number },
): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept search', { runJobs: false });
  try {
    const ds = await findDataset(session.client, dataset);
    const hits = await session.client.call('items.search', {
      datasetId: ds.id,
      query,
      limit: options.limit ?? 20,
    });
    if (options.json) printJson(hits);
    else if (hits.length === 0) process.stdout.write(`No item in "${ds.name}" matches "${query}".\n`);
    else
      process.stdout.write(
        `${formatTable(
          ['ID', 'UID', 'SNIPPET'],
          hits.map((h) => [String(h.item.id), h.item.uid, oneLine(h.snippet, 100)]),
        )}\n`,
      );
  } finally {
    await session.close();
  }
}
