import { defineModule } from '../../feature-module';
import { AutoTransferOutcome } from './auto-transfer-events';
import { AutoTransferCrossingsConsumer } from './auto-transfer-crossings.consumer';
import { AutoTransferRulesService } from './auto-transfer-rules.service';
import { AutoTransferWorker } from './auto-transfer.worker';
import { AUTO_TRANSFER_ENTITIES } from './auto-transfers.entities';
import { AutoTransfersResolver } from './auto-transfers.resolver';

declare module '../../feature-module' {
  interface FeatureServices {
    autoTransferRules: AutoTransferRulesService;
    autoTransferWorker: AutoTransferWorker;
  }
}

/**
 * Partner auto-transfer rules on the outbox: a consumer finds the crossings in committed
 * BALANCE_CHANGED events, and a worker makes each one's transfer through TransfersService after
 * that commit (docs "Partner auto-transfer rules").
 */
export const autoTransfersModule = defineModule({
  name: 'auto-transfers',
  entities: AUTO_TRANSFER_ENTITIES,
  events: [AutoTransferOutcome],
  resolvers: [AutoTransfersResolver],
  create: ({ config, runner, outbox, transfers, logger }) => {
    const autoTransferWorker = new AutoTransferWorker({
      runner,
      transfers,
      outbox,
      logger: logger.child({ component: 'auto-transfer' }),
      pollIntervalMs: config.automation.autoTransferPollIntervalMs,
    });
    return {
      services: { autoTransferRules: new AutoTransferRulesService(runner), autoTransferWorker },
      consumers: [{ name: 'auto-transfer-crossings', consumer: new AutoTransferCrossingsConsumer(() => autoTransferWorker.kick()) }],
      jobs: [{ name: 'auto-transfer', start: () => autoTransferWorker.start(), stop: () => autoTransferWorker.stop() }],
    };
  },
});
