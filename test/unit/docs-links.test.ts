import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { ErrorCode } from '../../src/common/domain-error';

/**
 * Every relative link of the manual resolves: README.md, CONTRIBUTING.md, CHANGELOG.md and
 * docs/**\/*.md. A link's file (or folder) exists, and its `#anchor` matches a heading of the
 * target Markdown file the way GitHub makes heading ids (or an explicit `<a id="…">`).
 */
const ROOT = path.resolve(__dirname, '../..');

/** The files whose links are checked, relative to the repository root. */
function manualFiles(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'].filter((file) => fs.existsSync(path.join(ROOT, file)));
  const walk = (folder: string): string[] =>
    fs
      .readdirSync(path.join(ROOT, folder), { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? walk(path.join(folder, entry.name)) : entry.name.endsWith('.md') ? [path.join(folder, entry.name)] : []));
  return [...files, ...walk('docs')];
}

/** The text outside fenced code blocks, with inline code spans blanked (links inside code are not links). */
export function proseOf(markdown: string): string {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      lines.push('');
    } else if (marker) {
      fence = marker;
      lines.push('');
    } else {
      lines.push(line.replace(/(`+)[\s\S]*?\1/g, (span) => ' '.repeat(span.length)));
    }
  }
  return lines.join('\n');
}

/** The targets of the Markdown links and images of a text (inline `[text](target)` and reference definitions). */
export function linkTargets(markdown: string): string[] {
  const prose = proseOf(markdown);
  const inline = [...prose.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]);
  const references = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((match) => match[1]);
  return [...inline, ...references];
}

/**
 * GitHub's heading id: the heading's text (inline code, emphasis and link markup removed)
 * lower-cased, every character that is not a letter, mark, number, connector, space or hyphen
 * dropped, spaces turned into hyphens; a repeated id gets `-1`, `-2`, … (as github-slugger does).
 */
export function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    for (const anchor of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) slugs.add(anchor[1]);
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${count}`);
  }
  return slugs;
}

export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .replace(/(\*{1,3}|\b_{1,3})([^*_]+)\1/g, '$2');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every link of `file` that does not resolve, as `file: target (why)`. */
function brokenLinks(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const problems: string[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = pathPart === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), decodeURIComponent(pathPart));
    if (!resolved.startsWith(ROOT)) {
      problems.push(`${file}: ${target} (outside the repository)`);
      continue;
    }
    if (!fs.existsSync(resolved)) {
      problems.push(`${file}: ${target} (no such file)`);
      continue;
    }
    if (anchor === undefined) continue;
    if (!resolved.endsWith('.md') || fs.statSync(resolved).isDirectory()) {
      problems.push(`${file}: ${target} (an anchor into a file that is not Markdown)`);
      continue;
    }
    if (!headingSlugs(fs.readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor))) {
      problems.push(`${file}: ${target} (no heading with that anchor in ${path.relative(ROOT, resolved)})`);
    }
  }
  return problems;
}

describe('the manual’s links', () => {
  it('makes heading ids the way GitHub does', () => {
    expect(slug("Try it: the demo's webhook receiver")).toBe('try-it-the-demos-webhook-receiver');
    expect(slug('Usage (metering service)')).toBe('usage-metering-service');
    expect(slug('`/history.csv` and the CSV reports')).toBe('historycsv-and-the-csv-reports');
    expect(slug('When one MariaDB primary is no longer enough')).toBe('when-one-mariadb-primary-is-no-longer-enough');
    expect(slug('0101–0119: production posture')).toBe('01010119-production-posture');
    expect(slug('Auto-recharge & saved cards')).toBe('auto-recharge--saved-cards');
    expect(slug('**Bold** and _emphasis_ and snake_case')).toBe('bold-and-emphasis-and-snake_case');
    expect([...headingSlugs('# A\n## A\n```\n# not a heading\n```\n### A\n<a id="custom"></a>\n')]).toEqual(['a', 'a-1', 'a-2', 'custom']);
  });

  it('finds links in prose, not in code', () => {
    const text = '[a](x.md) `[b](y.md)` ![c](img.png "title")\n```\n[d](z.md)\n```\n[ref]: w.md#top\n';
    expect(linkTargets(text)).toEqual(['x.md', 'img.png', 'w.md#top']);
  });

  it('checks the README, CONTRIBUTING, CHANGELOG and every file under docs/', () => {
    const files = manualFiles();
    expect(files).toEqual(expect.arrayContaining(['README.md', path.join('docs', 'api-tour.md')]));
    expect(files.flatMap((file) => linkTargets(fs.readFileSync(path.join(ROOT, file), 'utf8'))).length).toBeGreaterThan(20);
  });

  it.each(manualFiles())('resolves every relative link and anchor of %s', (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });
});

describe('the architecture’s layer table', () => {
  it('names every folder and top-level file of src/', () => {
    const architecture = fs.readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const section = architecture.slice(architecture.indexOf('\n## Layers'), architecture.indexOf('\n## ', architecture.indexOf('\n## Layers') + 1));
    const named = new Set([...section.matchAll(/^\|[^|]*\|([^|]*)\|/gm)].flatMap((row) => [...row[1].matchAll(/`([^`]+)`/g)].map((match) => match[1])));
    const entries = fs
      .readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
      .filter((name) => name.endsWith('/') || name.endsWith('.ts'));
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.filter((entry) => !named.has(entry))).toEqual([]);
  });
});

describe('GraphQL outside the API tour', () => {
  it('validates every graphql block of the manual against the committed schema (the tour blocks are run by readme.test.ts)', () => {
    const schema = buildSchema(fs.readFileSync(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8'));
    const blocks = manualFiles()
      .filter((file) => file !== path.join('docs', 'api-tour.md'))
      .flatMap((file) =>
        [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/^```graphql\n([\s\S]*?)^```/gm)].map((match) => ({ file, text: match[1] })),
      );
    expect(blocks.length).toBeGreaterThan(0);
    const problems = blocks.flatMap(({ file, text }) => validate(schema, parse(text)).map((error) => `${file}: ${error.message}`));
    expect(problems).toEqual([]);
  });
});

describe('the error codes page', () => {
  it('has a row for every code the server refuses with', () => {
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'errors.md'), 'utf8');
    const documented = new Set([...page.matchAll(/^\|\s*([^|]+?)\s*\|/gm)].flatMap((row) => [...row[1].matchAll(/`([A-Z_]+)`/g)].map((match) => match[1])));
    expect(Object.values(ErrorCode).filter((code) => !documented.has(code))).toEqual([]);
  });
});

describe('paths the manual names', () => {
  /** Build output, present only after `npm run build`. */
  const BUILT = ['explorer/dist/'];

  it('names only files and folders of the repository that exist (inline code starting with src/, test/, migrations/, …)', () => {
    const missing = manualFiles().flatMap((file) =>
      [...proseOfCode(fs.readFileSync(path.join(ROOT, file), 'utf8')).matchAll(/`((?:src|test|migrations|deploy|explorer|schema)\/[^`\s]*)`/g)]
        .map((match) => match[1])
        .filter((named) => !/[*<{…]/.test(named) && !BUILT.includes(named))
        .filter((named) => !fs.existsSync(path.join(ROOT, named.replace(/:\d+$/, ''))))
        .map((named) => `${file}: ${named}`),
    );
    expect(missing).toEqual([]);
  });
});

/** The text outside fenced code blocks, inline code kept (paths are named in inline code). */
function proseOfCode(markdown: string): string {
  return markdown.replace(/^\s*(```+|~~~+)[\s\S]*?^\s*\1\s*$/gm, '');
}
