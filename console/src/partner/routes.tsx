import type { ConsoleRoute } from '../shared/routes';

/** The partner screens (GreenNode seed): one line per screen; App lists them after the customer screens. */
export const partnerRoutes: ConsoleRoute[] = [];
