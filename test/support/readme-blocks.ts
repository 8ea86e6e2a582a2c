import { Kind, OperationDefinitionNode, parse } from 'graphql';

/**
 * Reads a Markdown file's fenced code blocks the way docs/api-tour.md's "Running the examples" paragraph describes:
 * HTML comments right above a fence (`<!-- token: demo-partner OWNER -->`,
 * `<!-- variables: {...} -->`, `<!-- expect: CODE -->`, `<!-- events: none -->`,
 * `<!-- readme-test: variables -->`) say how the block is run.
 */
export interface ReadmeBlock {
  /** The file the block is in, as given to readmeBlocks (for messages). */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  text: string;
  directives: Record<string, string>;
  /** The prose between the previous block and this one (where a refusal's code must be named). */
  precedingText: string;
}

const FENCE = /^```(\S*)\s*$/;
const DIRECTIVE = /^<!--\s*([\w-]+):\s*(.*?)\s*-->$/;

export function readmeBlocks(markdown: string, file = 'README.md'): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  let previousEnd = 0;
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index]);
    if (!open) continue;
    const close = lines.findIndex((line, position) => position > index && line.trim() === '```');
    if (close < 0) throw new Error(`${file}:${index + 1}: a code fence is never closed`);
    const directives: Record<string, string> = {};
    let above = index - 1;
    while (above >= previousEnd && (lines[above].trim() === '' || DIRECTIVE.test(lines[above].trim()))) {
      const directive = DIRECTIVE.exec(lines[above].trim());
      if (directive) {
        if (directive[1] in directives) throw new Error(`${file}:${above + 1}: the directive "${directive[1]}" is given twice for one block`);
        directives[directive[1]] = directive[2];
      }
      above--;
    }
    blocks.push({
      file,
      line: index + 1,
      language: open[1],
      text: lines.slice(index + 1, close).join('\n'),
      directives,
      precedingText: lines.slice(previousEnd, above + 1).join('\n'),
    });
    previousEnd = close + 1;
    index = close;
  }
  return blocks;
}

/** The block's one operation; throws when the block holds anything else (several, anonymous, unparsable). */
export function singleNamedOperation(block: ReadmeBlock): OperationDefinitionNode {
  const document = parse(block.text);
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) {
    const anonymous = operations.filter((operation) => !operation.name).length;
    throw new Error(`${block.file}:${block.line}: a block holds one operation; this one holds ${operations.length} (${anonymous} anonymous)`);
  }
  if (!operations[0].name) throw new Error(`${block.file}:${block.line}: the operation has no name; name it (query Balances { … })`);
  return operations[0];
}

/**
 * Replaces every string value `"{{path}}"` of the block's variables with the value at `path` in
 * `context` (the tour's period, and the data earlier blocks returned, keyed by root field).
 */
export function substitute(value: unknown, context: Record<string, unknown>, where: string): unknown {
  if (typeof value === 'string') {
    const placeholder = /^\{\{([\w.]+)\}\}$/.exec(value);
    if (!placeholder) return value;
    const found = placeholder[1]
      .split('.')
      .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), context);
    if (found === undefined) throw new Error(`${where}: nothing earlier in the tour gives {{${placeholder[1]}}}`);
    return found;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, context, where));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, context, where)]));
  return value;
}

export interface CurlCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The arguments one `curl` call received (after the shell expanded them), as a fetch request. */
export function curlCall(args: string[]): CurlCall {
  const call: CurlCall = { method: 'GET', url: '', headers: {}, body: undefined };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '-H' || arg === '--header') {
      const header = args[++index];
      const colon = header.indexOf(':');
      call.headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    } else if (arg === '-d' || arg === '--data' || arg === '--data-raw') {
      call.body = args[++index];
      if (call.method === 'GET') call.method = 'POST';
    } else if (arg === '-X' || arg === '--request') {
      call.method = args[++index];
    } else if (arg === '-o' || arg === '--output') {
      // Where curl saves the body: the test reads it from the answer instead.
      index++;
    } else if (/^-[fsSL]+$/.test(arg) || arg === '--fail' || arg === '--silent' || arg === '--show-error') {
      // Output options: fetch has no progress meter, and every status is checked.
    } else if (arg.startsWith('-')) {
      throw new Error(`curl option ${arg} is not understood by the API-tour test; add it to curlCall`);
    } else {
      if (call.url) throw new Error(`one curl call with two URLs: ${call.url} and ${arg}`);
      call.url = arg;
    }
  }
  if (!call.url) throw new Error(`a curl call without a URL: ${args.join(' ')}`);
  return call;
}
