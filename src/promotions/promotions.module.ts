import DataLoader from 'dataloader';
import { defineModule } from '../feature-module';
import { PromotionalGrantEntity } from './entities/promotional-grant.entity';
import { ExpiryService } from './expiry.service';
import { NextExpiryResolver, PromotionalGrantsResolver } from './promotional-grants.resolver';
import { type NextExpiry, PromotionalGrantsService } from './promotional-grants.service';
import { PromotionsResolver } from './promotions.resolver';
import { PromotionsService } from './promotions.service';

declare module '../feature-module' {
  interface FeatureServices {
    promotions: PromotionsService;
    promotionalGrants: PromotionalGrantsService;
    /** Expires due grants: on a timer, and before every balance or history read (see ExpiryService). */
    expiry: ExpiryService;
  }
}

declare module '../graphql/loaders' {
  interface Loaders {
    /** Balances.nextExpiry. Not cached: a subscription's context lives across events. */
    nextExpiry: DataLoader<string, NextExpiry | null>;
  }
}

/** Promotional grants: granting, listing, and expiring them (a job, and before every read). */
export const promotionsModule = defineModule({
  name: 'promotions',
  entities: [PromotionalGrantEntity],
  resolvers: [PromotionsResolver, PromotionalGrantsResolver, NextExpiryResolver],
  create: ({ config, runner, ledger, logger }) => {
    const expiry = new ExpiryService(runner, ledger, logger.child({ component: 'promotional-expiry' }), {
      checkCacheMs: config.promotionalExpiryCheckCacheMs,
    });
    const promotionalGrants = new PromotionalGrantsService(runner, expiry, config.requestLimits.maxPageSize);
    return {
      services: { promotions: new PromotionsService(runner, ledger), promotionalGrants, expiry },
      jobs: [{ name: 'promotional-expiry', start: () => expiry.start(config.promotionalExpiryJobIntervalMs), stop: () => expiry.stop() }],
      loaders: () => ({ nextExpiry: new DataLoader((ids) => promotionalGrants.nextExpiryOf(ids), { cache: false }) }),
    };
  },
});
