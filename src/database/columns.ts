import { ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * BIGINT arrives as an exact string from mysql2 and as a JS number from better-sqlite3; both
 * become `bigint` here. Amounts are bounded far inside 2^53, so the SQLite number is exact.
 */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | number | null) => (value === null || value === undefined ? value : BigInt(value)),
};

export const microsColumn = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'bigint',
  transformer: bigintTransformer,
  ...options,
});

/** Millisecond timestamps on both databases (MySQL datetime(3); SQLite keeps the text). */
export const timestampColumn = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'datetime',
  precision: 3,
  ...options,
});

/**
 * Row ids are BIGINT: the tables that grow with traffic would exhaust a signed INT (2^31) in about
 * a day at 10,000 transfers a second. mysql2 returns BIGINT as an exact string; ids stay far below
 * 2^53 (a thousand years at a million rows a second), so code keeps them as JS numbers, and this
 * refuses one that is not exact rather than rounding it.
 */
export const idTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null | undefined) => {
    if (value === null || value === undefined) return value;
    const id = Number(value);
    if (!Number.isSafeInteger(id)) throw new RangeError(`row id ${value} is beyond 2^53`);
    return id;
  },
};

/**
 * The generated primary key of a table, `@Column(generatedIdColumn())`: BIGINT AUTO_INCREMENT on
 * MySQL/MariaDB (`@PrimaryGeneratedColumn` takes no transformer, hence the plain `@Column`). The
 * embedded SQLite schema narrows it to INTEGER (see `narrowGeneratedIdsForSqlite`): AUTOINCREMENT
 * is allowed only on an `INTEGER PRIMARY KEY`, which in SQLite is the 64-bit rowid already.
 */
export const generatedIdColumn = (): ColumnOptions => ({ type: 'bigint', primary: true, generated: 'increment', transformer: idTransformer });

/** A column holding another table's generated id (`transactionId`, `walletId`): BIGINT like the id. */
export const idReferenceColumn = (options: ColumnOptions = {}): ColumnOptions => ({ type: 'bigint', transformer: idTransformer, ...options });
