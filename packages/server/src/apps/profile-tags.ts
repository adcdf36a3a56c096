// The custom profile fields an app declares (Tag_Profile_Custom_<name>): their schema, shared by the app's
// settings (settings.ts) and the profile service (profiles.ts).
import { z } from 'zod';

/** Custom fields an app may declare, and the length of their names after the prefix. */
export const MAX_CUSTOM_TAGS = 20;
export const MAX_CUSTOM_NAME_LENGTH = 8;

/** A declared custom field: `name` is what follows Tag_Profile_Custom_. */
export const customTagSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _ only')
    .min(1)
    .max(MAX_CUSTOM_NAME_LENGTH),
  type: z.enum(['string', 'integer']),
});
export type CustomTag = z.infer<typeof customTagSchema>;

export const customTagsSchema = z
  .array(customTagSchema)
  .max(MAX_CUSTOM_TAGS)
  .refine((tags) => new Set(tags.map((t) => t.name)).size === tags.length, 'names must be unique');
