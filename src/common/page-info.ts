import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'Relay page info. Forward pages (first/after): hasNextPage says whether rows follow the page; hasPreviousPage whether rows precede it (false without after). Backward pages (last/before): hasPreviousPage says whether rows precede the page; hasNextPage whether rows follow it (false without before). See README "Paging".',
  simpleResolvers: true,
})
export class PageInfo {
  @Field({ description: 'More rows follow endCursor (older rows, on the newest-first lists).' })
  hasNextPage!: boolean;

  @Field({ description: 'Rows precede startCursor (newer rows, on the newest-first lists).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first edge; null on an empty page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last edge; null on an empty page.' })
  endCursor!: string | null;
}

/**
 * PageInfo of a connection that pages forwards only (first/after). `hasPreviousPage` is true when
 * `after` was given: the cursor names a row an earlier page showed, so rows precede this page
 * (Relay lets a forward page answer it as cheaply as it can; this costs no statement). Credit
 * history, the one list a console pages backwards, answers it exactly instead (see
 * CreditHistoryService).
 */
export function forwardPageInfo(edges: readonly { cursor: string }[], hasNextPage: boolean, after: string | null | undefined): PageInfo {
  return {
    hasNextPage,
    hasPreviousPage: after != null,
    startCursor: edges.at(0)?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  };
}
