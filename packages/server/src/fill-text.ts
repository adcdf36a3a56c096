// Message tables (certificate, password and console API errors) write values into their English texts as
// {{name}}, the same placeholders the console's i18next uses for its other languages.

/** Values of a message: shown as they are. */
export type TextParams = Record<string, string | number>;

/** A template with its {{name}} values filled in (a value not given stays as {{name}}). */
export function fillText(template: string, params: TextParams = {}): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}
