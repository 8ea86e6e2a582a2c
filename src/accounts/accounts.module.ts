import type DataLoader from 'dataloader';
import { AccountDepleted, AccountReversalHold, CreditLimitChanged } from './account-events';
import { isUniqueViolation, type TransactionRunner } from '../database/transaction-runner';
import { defineModule } from '../feature-module';
import { loaderById } from '../graphql/loaders';
import type { LedgerService } from '../ledger/ledger.service';
import { SYSTEM_ACCOUNT_ID } from '../ledger/ledger.enums';
import { AccountKind, AccountStatus } from './account.enums';
import { ACCOUNT_ENTITIES } from './accounts.entities';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { DepletionProjection } from './depletion.projection';
import { ReversalHoldResolver } from './reversal-hold.resolver';
import { ReversalHoldProjection } from './reversal-hold.projection';
import { AccountEntity } from './entities/account.entity';
import type { BillingInfoEntity } from './entities/billing-info.entity';

declare module '../feature-module' {
  interface FeatureServices {
    accounts: AccountsService;
  }
}

declare module '../graphql/loaders' {
  interface Loaders {
    account: DataLoader<string, AccountEntity | null>;
    billingInfo: DataLoader<string, BillingInfoEntity | null>;
  }
}

/** Accounts and their billing info; the depletion flag and the reversal hold are projections of every posting. */
export const accountsModule = defineModule({
  name: 'accounts',
  entities: ACCOUNT_ENTITIES,
  events: [AccountDepleted, AccountReversalHold, CreditLimitChanged],
  resolvers: [AccountsResolver, ReversalHoldResolver],
  create: ({ runner, ledger, outbox }) => {
    const accounts = new AccountsService(runner, ledger);
    return {
      services: { accounts },
      projections: [new DepletionProjection(outbox), new ReversalHoldProjection(outbox)],
      loaders: () => ({
        account: loaderById(
          (ids) => accounts.findByIds(ids),
          (row) => row.id,
        ),
        billingInfo: loaderById(
          (ids) => accounts.billingInfoByAccountIds(ids),
          (row) => row.accountId,
        ),
      }),
      ready: () => ensureSystemAccount(runner, ledger),
    };
  },
});

/** The platform's own account and wallets; created by whichever process starts first. */
async function ensureSystemAccount(runner: TransactionRunner, ledger: LedgerService): Promise<void> {
  try {
    await runner.transaction(async (manager) => {
      if (!(await manager.existsBy(AccountEntity, { id: SYSTEM_ACCOUNT_ID }))) {
        const now = new Date();
        await manager.insert(AccountEntity, {
          id: SYSTEM_ACCOUNT_ID,
          kind: AccountKind.SYSTEM,
          status: AccountStatus.ACTIVE,
          region: 'ZZ',
          name: 'Platform',
          partnerId: null,
          depleted: false,
          reversalHold: false,
          createdAt: now,
          updatedAt: now,
        });
      }
      await ledger.ensureSystemWallets(manager);
    });
  } catch (error) {
    // Another process created them at the same moment.
    if (!isUniqueViolation(error)) throw error;
  }
}
