import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<T extends Options> = ReturnType<typeof parseArgs<{ options: T; strict: true }>>['values'];

/**
 * The command line of one of the scripts in this folder: its options parsed strictly, `--help`
 * (or `-h`) printing `usage` and exiting 0, and a mistyped option printing the error and `usage`
 * and exiting 2, so no script runs on a command line it did not understand.
 */
export function commandLine<T extends Options>(usage: string, options: T, args: string[] = process.argv.slice(2)): Values<T> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${usage.trim()}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage.trim());
    process.exit(0);
  }
  return values as Values<T>;
}

/** Runs a script's `main`, printing only the message of an error (never a stack) and exiting 1. */
export function runScript(main: () => Promise<void>, failure = ''): void {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`${failure}${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}
