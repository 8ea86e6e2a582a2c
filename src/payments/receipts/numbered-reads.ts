import type { Logger } from '../../common/logger';

/** The numbering worker as the services see it: woken after a document commits, waited for by a read. */
export interface Numbering {
  kick(): void;
  drain(): Promise<void>;
}

/**
 * The documents as they are once numbered. One that is not numbered yet (its transaction committed
 * a moment ago) makes the read wait for the numbering round and read them again, so a client that
 * asks right after the payment or refund sees the number. When numbering cannot run now (the
 * database is away, or another process holds the rows), they are answered as they are, unnumbered.
 */
export async function whenNumbered<Document extends { id: number; sequence: number | null }>(
  documents: Document[],
  options: { numbering: Numbering; logger: Logger; reread: (ids: number[]) => Promise<Document[]> },
): Promise<Document[]> {
  if (documents.every((document) => document.sequence !== null)) return documents;
  try {
    await options.numbering.drain();
  } catch (error) {
    options.logger.warn({ err: error }, 'numbering failed while a read waited for it; answered without the number');
    return documents;
  }
  const again = await options.reread(documents.map((document) => document.id));
  const byId = new Map(again.map((document) => [document.id, document]));
  return documents.map((document) => byId.get(document.id) ?? document);
}
