import { defineModule } from '../../feature-module';
import { PartnerCustomersResolver } from './partner-customers.resolver';
import { PartnerCustomersService } from './partner-customers.service';

declare module '../../feature-module' {
  interface FeatureServices {
    partnerCustomers: PartnerCustomersService;
  }
}

/** A partner's view of its customers (the partnerCustomers query). */
export const partnerCustomersModule = defineModule({
  name: 'partner-customers',
  resolvers: [PartnerCustomersResolver],
  create: ({ runner, config }) => ({ services: { partnerCustomers: new PartnerCustomersService(runner, config.requestLimits.maxPageSize) } }),
});
