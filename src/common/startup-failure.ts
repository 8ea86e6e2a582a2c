/**
 * A start-up failure whose cause is known and whose fix fits in one line: a taken port, a database
 * that cannot be reached, a database without its schema. Thrown by the code that knows the cause;
 * `src/main.ts` catches it once and logs the message alone, without a stack trace, then exits with
 * `exitCode`. Any other error that stops start-up is logged with its stack.
 */
export class StartupFailure extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StartupFailure';
    this.exitCode = options.exitCode ?? 1;
  }
}
