import { useState, type Dispatch, type SetStateAction } from 'react';
import type { PageOf } from './portal-api.ts';
import { refusalOf, type Refusal } from './refusal.ts';

export interface PagedList<Item> {
  /** Undefined until the first page arrives. */
  items: Item[] | undefined;
  setItems: Dispatch<SetStateAction<Item[] | undefined>>;
  /** The cursor of the next page, null at the end. */
  next: string | null;
  /** The whole list's size, when the server counted it (first page). */
  total: number | undefined;
  failure: Refusal | undefined;
  setFailure: Dispatch<SetStateAction<Refusal | undefined>>;
  /** The first page again (null), or the one after `cursor`, appended ("Xem thêm"). */
  load: (cursor: string | null) => Promise<void>;
}

/** One of the portal's keyset-paged lists (`{items, next, total}`, server/http/pagination.ts). */
export function usePagedList<Item>(page: (cursor: string | null) => Promise<PageOf<Item>>): PagedList<Item> {
  const [items, setItems] = useState<Item[] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<number | undefined>();
  const [failure, setFailure] = useState<Refusal | undefined>();
  const load = (cursor: string | null) =>
    page(cursor).then(
      (answer) => {
        setItems((current) => [...(cursor ? (current ?? []) : []), ...answer.items]);
        setNext(answer.next);
        if (answer.total !== undefined) setTotal(answer.total);
      },
      (error: unknown) => setFailure(refusalOf(error)),
    );
  return { items, setItems, next, total, failure, setFailure, load };
}
