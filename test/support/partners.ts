import { Role } from '../../src/auth/principal';
import { PromotionalGrantEntity } from '../../src/promotions/entities/promotional-grant.entity';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../../src/ledger/ledger.enums';
import { MICROS_PER_CREDIT } from '../../src/common/money';
import type { TestServer } from './harness';
import { createAccount, newKey } from './fixtures';

/** GraphQL documents and helpers for the partner, transfer, usage and expiry tests. */

/** `transferCredits` and `reclaimCredits` answer the same shape, the record under its own name. */
const partnerCustomerMutation = (operation: string, field: string, inputType: string, record: string) => /* GraphQL */ `
  mutation ${operation}($input: ${inputType}!) {
    ${field}(input: $input) {
      dryRun
      ${record} {
        id
        partnerAccountId
        customerAccountId
        amount
        note
        createdAt
      }
      partnerBalances {
        accountId
        totalBalance
        topUpBalance
        promotionalBalance
      }
      customerBalances {
        accountId
        totalBalance
        topUpBalance
        promotionalBalance
      }
    }
  }
`;

export const TRANSFER = partnerCustomerMutation('Transfer', 'transferCredits', 'TransferCreditsInput', 'transfer');
export const RECLAIM = partnerCustomerMutation('Reclaim', 'reclaimCredits', 'ReclaimCreditsInput', 'reclaim');

/** Every field of a batch's answer, for the bulk-transfer tests. */
export const TRANSFER_BATCH = /* GraphQL */ `
  mutation TransferBatch($input: TransferCreditsBatchInput!) {
    transferCreditsBatch(input: $input) {
      dryRun
      mode
      results {
        index
        customerAccountId
        amount
        status
        code
        message
        transfer {
          id
          customerAccountId
          amount
          note
        }
        partnerBalances {
          topUpBalance
        }
        customerBalances {
          topUpBalance
        }
      }
      totals {
        rowCount
        okCount
        refusedCount
        notAppliedCount
        amount
      }
    }
  }
`;

/** Sets a partner's auto-transfer rule for one customer; answers its id. */
export const SET_AUTO_TRANSFER_RULE = /* GraphQL */ `
  mutation Set($input: SetAutoTransferRuleInput!) {
    setAutoTransferRule(input: $input) {
      id
    }
  }
`;

export const RECORD_USAGE = /* GraphQL */ `
  mutation RecordUsage($events: [UsageEventInput!]!) {
    recordUsage(events: $events) {
      appliedCount
      duplicateCount
      refusedCount
      results {
        eventId
        status
        code
        message
        promotionalAmount
        topUpAmount
        balances {
          totalBalance
          topUpBalance
          promotionalBalance
        }
      }
    }
  }
`;

export const PARTNER_CUSTOMERS = /* GraphQL */ `
  query PartnerCustomers($filter: PartnerCustomerFilterInput, $first: Int, $after: String) {
    partnerCustomers(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          name
          status
          balances {
            totalBalance
            topUpBalance
            promotionalBalance
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const credits = (amount: number | bigint) => BigInt(amount) * MICROS_PER_CREDIT;

/**
 * Gives an account top-up credits directly through the ledger, as a completed top-up would (the
 * top-up flow is another capability's; these tests only need a funded partner).
 */
export async function fundTopUp(server: TestServer, accountId: string, micros: bigint): Promise<void> {
  const { runner, ledger } = server.services;
  await runner.transaction((manager) =>
    ledger.post(manager, {
      type: LedgerTransactionType.TOP_UP,
      idempotencyKey: `test-funding:${newKey()}`,
      reference: 'test funding',
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -micros },
        { accountId, walletKind: WalletKind.TOPUP, amountMicros: micros },
      ],
    }),
  );
}

/** A partner with `topUp` credits and one ACTIVE customer; plus tokens for the partner's OWNER. */
export async function partnerWithCustomer(server: TestServer, topUp: bigint) {
  const partnerId = await createAccount(server, { kind: 'PARTNER' });
  const customerId = await createAccount(server, { partnerId });
  if (topUp > 0n) await fundTopUp(server, partnerId, topUp);
  return { partnerId, customerId, ownerToken: await server.userToken(partnerId, Role.OWNER) };
}

/** Moves a grant's expiry into the past, as if time had passed (grants must expire in the future when given). */
export async function backdateGrantExpiry(server: TestServer, grantId: string, millisecondsAgo = 1000): Promise<void> {
  await server.services.runner.transaction((manager) =>
    manager.update(PromotionalGrantEntity, { id: Number(grantId) }, { expiresAt: new Date(Date.now() - millisecondsAgo) }),
  );
}

export async function grantRow(server: TestServer, grantId: string): Promise<PromotionalGrantEntity> {
  return server.services.runner.read((manager) => manager.findOneByOrFail(PromotionalGrantEntity, { id: Number(grantId) }));
}

export const usageEvent = (accountId: string, amount: string, extra: { eventId?: string; service?: string; occurredAt?: string } = {}) => ({
  eventId: extra.eventId ?? newKey(),
  accountId,
  service: extra.service ?? 'compute',
  amount,
  occurredAt: extra.occurredAt ?? new Date().toISOString(),
});
