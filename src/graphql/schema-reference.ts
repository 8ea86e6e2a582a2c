import { type GraphQLEnumType, GraphQLSchema, isEnumType } from 'graphql';

/**
 * docs/reference/enums.md: every enum of the schema with what each value means, printed from the
 * schema's own descriptions (`npm run schema` writes it; a test fails when it is stale). Webhook
 * event types, top-up failure codes and error codes are read here, not kept by hand in the manual.
 */
export function printEnumReference(schema: GraphQLSchema): string {
  const enums = Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLEnumType => isEnumType(type) && !type.name.startsWith('__'))
    .sort((left, right) => left.name.localeCompare(right.name));
  const sections = enums.map((type) =>
    [`## ${type.name}`, '', type.description ?? '', '', ...type.getValues().map((value) => `- \`${value.name}\`: ${value.description ?? ''}`)].join('\n'),
  );
  return [
    '# Enum reference',
    '',
    '<!-- Generated from the schema by `npm run schema`. Do not edit by hand: change the descriptions in the code. -->',
    '',
    'Every enum of the GraphQL API and what each value means. The same text is in the schema (introspection, the explorer).',
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
}
