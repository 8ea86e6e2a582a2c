import type { Logger } from '../../common/logger';
import type { Config } from '../../config';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { OutboxService } from '../../notifications/outbox.service';
import type { TransfersService } from '../transfers/transfers.service';
import { AutoTransferCrossingsConsumer } from './auto-transfer-crossings.consumer';
import { AutoTransferRulesService } from './auto-transfer-rules.service';
import { AutoTransferWorker } from './auto-transfer.worker';

export interface AutoTransferServices {
  autoTransferRules: AutoTransferRulesService;
  autoTransferWorker: AutoTransferWorker;
}

/**
 * Partner auto-transfer rules on the outbox: a consumer finds the crossings in committed
 * BALANCE_CHANGED events, and a worker makes each one's transfer through TransfersService after
 * that commit (README "Partner auto-transfer rules").
 */
export function createAutoTransfers(dependencies: {
  config: Config;
  runner: TransactionRunner;
  outbox: OutboxService;
  transfers: TransfersService;
  logger: Logger;
}): AutoTransferServices {
  const { config, runner, outbox, transfers, logger } = dependencies;
  const autoTransferWorker = new AutoTransferWorker({
    runner,
    transfers,
    outbox,
    logger: logger.child({ component: 'auto-transfer' }),
    pollIntervalMs: config.automation.autoTransferPollIntervalMs,
  });
  outbox.addConsumer(new AutoTransferCrossingsConsumer(() => autoTransferWorker.kick()));
  return { autoTransferRules: new AutoTransferRulesService(runner), autoTransferWorker };
}
