import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import type { RequestLimitsConfig } from '../../config';
import { DEFAULT_PAGE_SIZE, isAllowedPageSize } from '../../common/page-size';
import { graphQLRefusal } from '../../common/graphql-refusal';

/** Arguments that say how many items a list field returns. */
export const PAGE_SIZE_ARGUMENTS = ['first', 'last', 'limit'] as const;
/** A root mutation field changes data: it weighs more than a read of one object. */
export const MUTATION_FIELD_COST = 10;

/**
 * The cost model, decided on the document and its variables before anything runs:
 * - every field costs 1 (a leaf too: it is serialised for every item of every list above it);
 * - a field with a page-size argument (`first`, `last`) costs 1 + page size × the cost of its
 *   selection, with the default page size when none is given and the largest when several are, so costs multiply down the tree
 *   (100 customers × their 100 movements each = 10,000 movements);
 * - a report (a root field named `…Report`) costs `reportCost` plus its selection once: it reads
 *   a whole period whatever is selected;
 * - a root mutation field costs `MUTATION_FIELD_COST` plus its selection.
 */
function creditsEstimator(limits: RequestLimitsConfig, pageSizes: PageSizeUse[]): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    const pageArguments = PAGE_SIZE_ARGUMENTS.filter((name) => field.args.some((argument) => argument.name === name));
    if (pageArguments.length > 0) {
      // Every size given is checked; the largest one prices the list (a field that takes both
      // `first` and `last` refuses them together when it runs, but never runs cheaper than priced).
      const given = pageArguments.filter((name) => args[name] != null);
      const uses =
        given.length > 0 ? given.map((name) => ({ argument: name, value: args[name] as number })) : [{ argument: pageArguments[0], value: DEFAULT_PAGE_SIZE }];
      for (const use of uses) pageSizes.push({ field: `${type.name}.${field.name}`, ...use });
      const pageSize = Math.max(...uses.map((use) => use.value));
      return 1 + Math.max(pageSize, 0) * childComplexity;
    }
    if (type.name === 'Query' && field.name.endsWith('Report')) return limits.reportCost + childComplexity;
    if (type.name === 'Mutation') return MUTATION_FIELD_COST + childComplexity;
    return 1 + childComplexity;
  };
}

interface PageSizeUse {
  field: string;
  argument: string;
  value: number;
}

export interface OperationToCheck {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

/**
 * The limits that need the variables (so they run after validation, still before execution):
 * every page size within 1..maxPageSize (BAD_USER_INPUT), and the operation's cost at most
 * maxCost (GRAPHQL_VALIDATION_FAILED). Returns the refusals; none means the operation may run.
 */
export function checkOperationCost(limits: RequestLimitsConfig, operation: OperationToCheck): GraphQLError[] {
  const pageSizes: PageSizeUse[] = [];
  let cost: number;
  try {
    cost = getComplexity({
      schema: operation.schema,
      query: operation.document,
      variables: operation.variables ?? {},
      operationName: operation.operationName,
      estimators: [creditsEstimator(limits, pageSizes)],
    });
  } catch {
    // Variables that do not fit the operation: execution refuses them (BAD_USER_INPUT) before
    // any resolver runs, so nothing costly can slip through here.
    return [];
  }
  const oversized = pageSizes.filter((use) => !isAllowedPageSize(use.value, limits.maxPageSize));
  if (oversized.length > 0) {
    return oversized.map((use) =>
      graphQLRefusal(`${use.argument} must be from 1 to ${limits.maxPageSize} (the maximum page size) on ${use.field}; got ${use.value}.`, {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      }),
    );
  }
  if (cost > limits.maxCost) {
    return [
      graphQLRefusal(`Query cost limit of ${limits.maxCost} exceeded: this operation costs ${cost}. Ask for smaller pages, fewer fields or fewer aliases.`, {
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
      }),
    ];
  }
  return [];
}
