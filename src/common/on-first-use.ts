/**
 * A value made on the first call and returned on every later one. For a package that is required
 * where it is first needed rather than where its importer is loaded (the provider SDKs, pdfkit):
 * requiring them costs hundreds of milliseconds and thousands of files that a process which never
 * pays, refunds or prints does not need, and every jest test file would load them again.
 */
export function onFirstUse<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
