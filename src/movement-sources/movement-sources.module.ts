import DataLoader from 'dataloader';
import { defineModule } from '../feature-module';
import { MovementSourcesResolver } from './movement-sources.resolver';
import { type MovementSourceRow, MovementSourcesService, type SourcedMovement } from './movement-sources.service';

declare module '../feature-module' {
  interface FeatureServices {
    movementSources: MovementSourcesService;
  }
}

declare module '../graphql/loaders' {
  interface Loaders {
    /** The business row behind a credit-history row (CreditMovement.source): one lookup per kind per page. */
    movementSource: DataLoader<SourcedMovement, MovementSourceRow | null, string>;
  }
}

/**
 * CreditMovement.source: the business row behind a credit-history row (top-up, transfer, reclaim,
 * grant, usage). It reads the other features' tables, so it stands above them, apart from the
 * history it decorates.
 */
export const movementSourcesModule = defineModule({
  name: 'movement-sources',
  resolvers: [MovementSourcesResolver],
  create: ({ runner }) => {
    const movementSources = new MovementSourcesService(runner);
    return {
      services: { movementSources },
      loaders: () => ({
        movementSource: new DataLoader((movements) => movementSources.sourcesOf(movements), {
          cacheKeyFn: (movement) => `${movement.accountId}:${movement.transactionId}`,
        }),
      }),
    };
  },
});
