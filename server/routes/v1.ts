/** Everything under /api/v1, one router per resource. */
import { customerListRoutes } from './customer-list.ts';
import { customerRoutes } from './customers.ts';
import { router } from './openapi.ts';

export const v1 = router().route('/', customerListRoutes).route('/', customerRoutes);

/** The API's type, for the components' typed client (`hc<V1>`). */
export type V1 = typeof v1;
