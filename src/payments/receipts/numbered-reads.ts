import { type EntityManager, type EntityTarget, type FindOptionsWhere, In } from 'typeorm';
import type { Logger } from '../../common/logger';
import type { TransactionRunner } from '../../database/transaction-runner';

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

/** A numbered document as these reads need it. */
type Document = { id: number; sequence: number | null };

/**
 * Reads documents of one kind (`read`, on a read transaction) and answers them once numbered
 * (`whenNumbered`, reading them again by id): every read of receipts, credit notes and debit notes.
 */
export async function readNumbered<Row extends Document>(
  entity: EntityTarget<Row>,
  read: (manager: EntityManager) => Promise<Row[]>,
  options: { runner: TransactionRunner; numbering: Numbering; logger: Logger },
): Promise<Row[]> {
  const { runner, numbering, logger } = options;
  const documents = await runner.read(read);
  return whenNumbered(documents, {
    numbering,
    logger,
    reread: (ids) => runner.read((manager) => manager.findBy(entity, { id: In(ids) } as FindOptionsWhere<Row>)),
  });
}

/**
 * Documents of one kind by the ids GraphQL and the PDF routes carry, once numbered: a string that
 * cannot be a document's id names none (and is not sent to the database).
 */
export async function readNumberedByIds<Row extends Document>(
  entity: EntityTarget<Row>,
  ids: readonly string[],
  options: { runner: TransactionRunner; numbering: Numbering; logger: Logger },
): Promise<Row[]> {
  const numeric = ids.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
  if (numeric.length === 0) return [];
  return readNumbered(entity, (manager) => manager.findBy(entity, { id: In(numeric) } as FindOptionsWhere<Row>), options);
}
