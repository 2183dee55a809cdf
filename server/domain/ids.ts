/**
 * Ids as the API takes them: a UUID in any letter case, lower-cased once
 * at the edge, so every comparison made later in JavaScript (a source that
 * is the primary, an id listed twice) agrees with PostgreSQL's.
 */
import { z } from '@hono/zod-openapi';

export const uuidInput = (message = 'Must be a UUID.') =>
  z
    .string()
    .uuid({ message })
    .transform((id) => id.toLowerCase());
