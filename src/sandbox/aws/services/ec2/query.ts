// Describe* helpers shared by every EC2 resource: filters (tag:<key>, tag-key and attribute
// filters), id lists, and MaxResults/NextToken paging.
import { ServiceError } from '../../service.js';
import type { Tags } from './state.js';

export interface Filter { Name?: string; Value?: string[] }

/** Attribute getters per filter name; tag filters are handled generically. */
export type FilterFields<T> = Record<string, (item: T) => string | string[] | undefined>;

export function applyFilters<T extends { tags: Tags }>(items: T[], filters: Filter[] | undefined, fields: FilterFields<T>): T[] {
  return items.filter((item) => (filters ?? []).every((f) => {
    const name = f.Name ?? '';
    const values = f.Value ?? [];
    let actual: string[];
    if (name.startsWith('tag:')) {
      const v = item.tags.get(name.slice(4));
      actual = v === undefined ? [] : [v];
    } else if (name === 'tag-key') {
      actual = [...item.tags.keys()];
    } else {
      const getter = fields[name];
      if (!getter) throw new ServiceError('InvalidParameterValue', `The filter '${name}' is invalid`, 400);
      const v = getter(item);
      actual = v === undefined ? [] : Array.isArray(v) ? v : [v];
    }
    return values.some((want) => actual.some((a) => globMatch(want, a)));
  }));
}

function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

/** Restrict to ids named in the request; an unknown id is the service's NotFound error. */
export function byIds<T>(items: Map<string, T>, ids: string[] | undefined, notFoundCode: string, label: string): T[] {
  if (!ids || ids.length === 0) return [...items.values()];
  return ids.map((id) => {
    const item = items.get(id);
    if (!item) throw new ServiceError(notFoundCode, `The ${label} '${id}' does not exist`, 400);
    return item;
  });
}

/** One page of results and the token for the next (opaque: base64 of the offset). */
export function paginate<T>(items: T[], input: { MaxResults?: string; NextToken?: string }, defaultMax = 1000): { page: T[]; nextToken?: string } {
  const max = input.MaxResults !== undefined ? Number(input.MaxResults) : defaultMax;
  if (!Number.isInteger(max) || max < 5 || max > 1000) {
    throw new ServiceError('InvalidParameterValue', `Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`, 400);
  }
  let offset = 0;
  if (input.NextToken) {
    offset = Number(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new ServiceError('InvalidNextToken', 'The token is invalid', 400);
  }
  const page = items.slice(offset, offset + max);
  const next = offset + max < items.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined;
  return { page, ...(next ? { nextToken: next } : {}) };
}

export function tagSet(tags: Tags): { key: string; value: string }[] {
  return [...tags].map(([key, value]) => ({ key, value }));
}
