/** Everything under /api/v1, one router per resource. */
import { customerListRoutes } from './customer-list.ts';
import { customerActionRoutes } from './customer-actions.ts';
import { customerInsightRoutes } from './customer-insights.ts';
import { customerOrderRoutes } from './customer-orders.ts';
import { customFieldRoutes } from './custom-fields.ts';
import { erasureRoutes } from './erasure.ts';
import { historyRoutes } from './history.ts';
import { noteRoutes } from './notes.ts';
import { settingsRoutes } from './settings.ts';
import { userRoutes } from './users.ts';
import { customerRoutes } from './customers.ts';
import { duplicateRoutes } from './duplicates.ts';
import { mergeRoutes } from './merge.ts';
import { eventRoutes } from './events.ts';
import { levelRoutes } from './levels.ts';
import { router } from './openapi.ts';
import { orderRoutes } from './orders.ts';
import { pointsRoutes } from './points.ts';

export const v1 = router()
  .route('/', customerListRoutes)
  .route('/', customerRoutes)
  .route('/', customerActionRoutes)
  .route('/', erasureRoutes)
  .route('/', noteRoutes)
  .route('/', historyRoutes)
  .route('/', customFieldRoutes)
  .route('/', settingsRoutes)
  .route('/', userRoutes)
  .route('/', eventRoutes)
  .route('/', pointsRoutes)
  .route('/', levelRoutes)
  .route('/', orderRoutes)
  .route('/', customerOrderRoutes)
  .route('/', customerInsightRoutes)
  .route('/', duplicateRoutes)
  .route('/', mergeRoutes);

/** The API's type, for the components' typed client (`hc<V1>`). */
export type V1 = typeof v1;
