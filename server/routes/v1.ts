/** Everything under /api/v1: one router per resource, mounted at its path. */
import { customFieldRoutes } from './custom-fields.ts';
import { customerRoutes } from './customers/index.ts';
import { duplicateRoutes } from './duplicates.ts';
import { eventRoutes } from './events.ts';
import { levelRoutes } from './levels.ts';
import { mergeRecordRoutes } from './merges.ts';
import { registerErrorResponses, router } from './openapi.ts';
import { orderRoutes } from './orders.ts';
import { settingsRoutes } from './settings.ts';
import { userRoutes } from './users.ts';

const api = router();
// The error answers every operation references; the app's document takes them over with the routes.
registerErrorResponses(api.openAPIRegistry);

export const v1 = api
  .route('/customers', customerRoutes)
  .route('/levels', levelRoutes)
  .route('/orders', orderRoutes)
  .route('/duplicates', duplicateRoutes)
  .route('/merges', mergeRecordRoutes)
  .route('/custom-fields', customFieldRoutes)
  .route('/settings', settingsRoutes)
  .route('/users', userRoutes)
  .route('/events', eventRoutes);

/** The API's type, for the components' typed client (`hc<V1>`). */
export type V1 = typeof v1;
