import { type EntitySubscriberInterface, EventSubscriber, type InsertEvent, type ObjectLiteral } from 'typeorm';

/**
 * Gives a freshly inserted row its generated id through the column's transformer. On MariaDB
 * TypeORM reads the new id back with `INSERT … RETURNING`, and that value skips transformers: a
 * BIGINT id would reach the code as the string mysql2 makes of it ("42"), where every read gives a
 * number. After each insert (TypeORM has merged the returned values into the inserted objects by
 * then), this converts them the same way a read does, so an id is a number wherever it came from.
 */
@EventSubscriber()
export class GeneratedIdsSubscriber implements EntitySubscriberInterface {
  afterInsert(event: InsertEvent<ObjectLiteral>): void {
    const entity = event.entity;
    if (!entity) return;
    for (const column of event.metadata.generatedColumns) {
      const transformer = column.transformer;
      if (!transformer || Array.isArray(transformer)) continue;
      const value: unknown = column.getEntityValue(entity);
      if (value !== undefined && value !== null) column.setEntityValue(entity, transformer.from(value));
    }
  }
}
