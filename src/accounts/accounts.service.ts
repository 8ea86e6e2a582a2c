import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { badInput, DomainError, ErrorCode, notFound } from '../common/domain-error';
import { countryCode, emailAddress, optionalText, requiredText } from '../common/validation';
import { isUniqueViolation, type TransactionRunner } from '../database/transaction-runner';
import type { Actor } from '../audit/actor';
import { AuditAction } from '../audit/audit.enums';
import { recordAudit } from '../audit/audit-recorder';
import type { LedgerService } from '../ledger/ledger.service';
import { CUSTOMER_WALLET_KINDS, SYSTEM_ACCOUNT_ID } from '../ledger/ledger.enums';
import { AccountKind, AccountStatus, BillingEntityType } from './account.enums';
import { AccountEntity } from './entities/account.entity';
import { BillingInfoEntity } from './entities/billing-info.entity';

export interface CreateAccountCommand {
  id?: string;
  kind: AccountKind;
  name: string;
  region: string;
  partnerId?: string | null;
  status?: AccountStatus;
}

export interface BillingInfoCommand {
  entityType: BillingEntityType;
  legalName: string;
  /** Required for a company; a private individual may have none (null, absent or empty). */
  taxCode?: string | null;
  addressLine1: string;
  addressLine2?: string | null;
  city: string;
  postalCode?: string | null;
  country: string;
  invoiceEmail: string;
}

/** CLOSED is final; every other status may move to any other. */
const ALLOWED_STATUS_CHANGES: Record<AccountStatus, AccountStatus[]> = {
  [AccountStatus.PENDING]: [AccountStatus.ACTIVE, AccountStatus.SUSPENDED, AccountStatus.CLOSED],
  [AccountStatus.ACTIVE]: [AccountStatus.SUSPENDED, AccountStatus.CLOSED],
  [AccountStatus.SUSPENDED]: [AccountStatus.ACTIVE, AccountStatus.CLOSED],
  [AccountStatus.CLOSED]: [],
};

const ACCOUNT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,39}$/;

export class AccountsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
  ) {}

  async findByIds(ids: readonly string[]): Promise<AccountEntity[]> {
    return this.runner.read((manager) => manager.findBy(AccountEntity, { id: In([...ids]) }));
  }

  async findByIdOrThrow(id: string): Promise<AccountEntity> {
    const [account] = await this.findByIds([id]);
    if (!account) throw notFound(`Account ${id}`);
    return account;
  }

  async createAccount(command: CreateAccountCommand, actor: Actor): Promise<AccountEntity> {
    if (command.kind === AccountKind.SYSTEM) throw badInput('Only CUSTOMER and PARTNER accounts can be created.', { field: 'kind' });
    const id = command.id ?? randomUUID();
    if (!ACCOUNT_ID_PATTERN.test(id) || id === SYSTEM_ACCOUNT_ID) {
      throw badInput('An account id is 3 to 40 lowercase letters, digits and dashes.', { field: 'id' });
    }
    const name = requiredText('name', command.name, { max: 200 });
    const region = countryCode('region', command.region);
    const partnerId = command.partnerId ?? null;
    if (partnerId !== null && command.kind !== AccountKind.CUSTOMER) {
      throw badInput('Only a CUSTOMER account can belong to a partner.', { field: 'partnerId' });
    }
    const replayOrRefuse = (existing: AccountEntity) => {
      // The chosen id is the request's idempotency key: the same request again returns the account.
      if (existing.kind === command.kind && existing.name === name && existing.region === region && existing.partnerId === partnerId) return existing;
      throw badInput(`Account ${id} already exists.`, { field: 'id' });
    };
    return this.runner
      .transaction(async (manager) => {
        if (partnerId !== null) {
          const partner = await manager.findOneBy(AccountEntity, { id: partnerId });
          if (!partner || partner.kind !== AccountKind.PARTNER) {
            throw badInput(`partnerId ${partnerId} is not a partner account.`, { field: 'partnerId' });
          }
        }
        const existing = await manager.findOneBy(AccountEntity, { id });
        if (existing) return replayOrRefuse(existing);
        const now = new Date();
        const account = manager.create(AccountEntity, {
          id,
          kind: command.kind,
          status: command.status ?? AccountStatus.PENDING,
          region,
          name,
          partnerId,
          depleted: false,
          reversalHold: false,
          creditLimitMicros: 0n,
          createdAt: now,
          updatedAt: now,
        });
        await manager.insert(AccountEntity, account);
        await this.ledger.createWallets(manager, id, CUSTOMER_WALLET_KINDS);
        await recordAudit(manager, actor, {
          action: AuditAction.ACCOUNT_CREATED,
          targetType: 'ACCOUNT',
          targetId: id,
          accountId: id,
          after: { kind: account.kind, status: account.status, name, region, partnerId },
        });
        return account;
      })
      .catch(async (error) => {
        // A racing copy of this request inserted the id first.
        if (!isUniqueViolation(error)) throw error;
        return replayOrRefuse(await this.findByIdOrThrow(id));
      });
  }

  async setStatus(accountId: string, status: AccountStatus, actor: Actor): Promise<AccountEntity> {
    return this.runner.transaction(async (manager) => {
      const account = await manager.findOneBy(AccountEntity, { id: accountId });
      if (!account || account.kind === AccountKind.SYSTEM) throw notFound(`Account ${accountId}`);
      if (account.status === status) return account;
      if (!ALLOWED_STATUS_CHANGES[account.status].includes(status)) {
        throw badInput(`An account cannot move from ${account.status} to ${status}.`, { field: 'status' });
      }
      const before = account.status;
      account.status = status;
      account.updatedAt = new Date();
      await manager.update(AccountEntity, { id: accountId }, { status, updatedAt: account.updatedAt });
      await recordAudit(manager, actor, {
        action: AuditAction.ACCOUNT_STATUS_CHANGED,
        targetType: 'ACCOUNT',
        targetId: account.id,
        accountId: account.id,
        before: { status: before },
        after: { status },
      });
      return account;
    });
  }

  async billingInfoByAccountIds(accountIds: readonly string[]): Promise<BillingInfoEntity[]> {
    return this.runner.read((manager) => manager.findBy(BillingInfoEntity, { accountId: In([...accountIds]) }));
  }

  async updateBillingInfo(accountId: string, command: BillingInfoCommand, actor: Actor): Promise<BillingInfoEntity> {
    const info = validateBillingInfo(accountId, command);
    return this.runner.transaction(async (manager) => {
      const account = await manager.findOneBy(AccountEntity, { id: accountId });
      if (!account) throw notFound(`Account ${accountId}`);
      if (account.status === AccountStatus.CLOSED) {
        throw new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, 'A closed account cannot change its billing information.');
      }
      const before = await manager.findOneBy(BillingInfoEntity, { accountId: account.id });
      await manager.upsert(BillingInfoEntity, info, ['accountId']);
      await recordAudit(manager, actor, {
        action: AuditAction.BILLING_INFO_CHANGED,
        targetType: 'BILLING_INFO',
        targetId: account.id,
        accountId: account.id,
        before: before ? billingFields(before) : null,
        after: billingFields(info),
      });
      return info;
    });
  }
}

/** The billing fields an audit entry shows (to those allowed to see billing information). */
function billingFields(info: BillingInfoEntity): Record<string, unknown> {
  const { entityType, legalName, taxCode, addressLine1, addressLine2, city, postalCode, country, invoiceEmail } = info;
  return { entityType, legalName, taxCode, addressLine1, addressLine2, city, postalCode, country, invoiceEmail };
}

/** Vietnamese tax codes are 10 digits, or 10 + "-" + 3 digits for a branch; elsewhere 4 to 32 characters. */
const TAX_CODE_PATTERN = { VN: /^\d{10}(-\d{3})?$/, other: /^[A-Za-z0-9][A-Za-z0-9 ./-]{3,31}$/ };

/** A company's tax code is required; a private individual may give none (null). */
function validTaxCode(entityType: BillingEntityType, country: string, given: string | null | undefined): string | null {
  const taxCode = optionalText('taxCode', given, 32);
  if (taxCode === null) {
    if (entityType === BillingEntityType.COMPANY) throw badInput('A company needs its taxCode.', { field: 'taxCode' });
    return null;
  }
  if (country === 'VN' && !TAX_CODE_PATTERN.VN.test(taxCode)) {
    throw badInput('A Vietnamese taxCode is 10 digits, or 10 digits, "-" and 3 digits.', { field: 'taxCode' });
  }
  if (country !== 'VN' && !TAX_CODE_PATTERN.other.test(taxCode)) {
    throw badInput('taxCode is 4 to 32 letters, digits, spaces, ".", "/" or "-", starting with a letter or digit.', { field: 'taxCode' });
  }
  return taxCode;
}

function validateBillingInfo(accountId: string, command: BillingInfoCommand): BillingInfoEntity {
  if (!Object.values(BillingEntityType).includes(command.entityType)) {
    throw badInput('entityType must be INDIVIDUAL or COMPANY.', { field: 'entityType' });
  }
  const country = countryCode('country', command.country);
  const taxCode = validTaxCode(command.entityType, country, command.taxCode);
  const info = new BillingInfoEntity();
  Object.assign(info, {
    accountId,
    entityType: command.entityType,
    legalName: requiredText('legalName', command.legalName, { min: 2, max: 200 }),
    taxCode,
    addressLine1: requiredText('addressLine1', command.addressLine1, { max: 200 }),
    addressLine2: optionalText('addressLine2', command.addressLine2, 200),
    city: requiredText('city', command.city, { max: 100 }),
    postalCode: optionalText('postalCode', command.postalCode, 20),
    country,
    invoiceEmail: emailAddress('invoiceEmail', command.invoiceEmail),
    updatedAt: new Date(),
  });
  return info;
}
