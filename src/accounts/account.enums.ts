export enum AccountKind {
  CUSTOMER = 'CUSTOMER',
  PARTNER = 'PARTNER',
  /** The platform's own books: payment clearing, usage revenue, promotions, expiry. */
  SYSTEM = 'SYSTEM',
}

export enum AccountStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  CLOSED = 'CLOSED',
}

export enum BillingEntityType {
  INDIVIDUAL = 'INDIVIDUAL',
  COMPANY = 'COMPANY',
}
