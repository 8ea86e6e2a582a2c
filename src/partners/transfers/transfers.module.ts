import { defineModule } from '../../feature-module';
import { ReclaimsResolver } from './reclaims.resolver';
import { ReclaimsService } from './reclaims.service';
import { TransferBatchesService } from './transfer-batches.service';
import { TRANSFER_ENTITIES } from './transfers.entities';
import { TransfersResolver } from './transfers.resolver';
import { TransfersService } from './transfers.service';

declare module '../../feature-module' {
  interface FeatureServices {
    transfers: TransfersService;
    transferBatches: TransferBatchesService;
    reclaims: ReclaimsService;
  }
}

/** Partner-to-customer transfers, one at a time or in batches, and reclaims back to the partner. */
export const transfersModule = defineModule({
  name: 'transfers',
  entities: TRANSFER_ENTITIES,
  resolvers: [TransfersResolver, ReclaimsResolver],
  create: ({ config, runner, ledger, balances }) => {
    const transfers = new TransfersService(runner, ledger, balances);
    return {
      services: {
        transfers,
        transferBatches: new TransferBatchesService(runner, transfers, config.transferBatchMaxRows),
        reclaims: new ReclaimsService(runner, ledger, balances),
      },
    };
  },
});
