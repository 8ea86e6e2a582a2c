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
