/** Everything under /api/v1, one router per resource. */
import { customerRoutes } from './customers.ts';
import { router } from './openapi.ts';

export const v1 = router().route('/', customerRoutes);
