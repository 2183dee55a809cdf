/**
 * The server writes its validation messages in English (they are part of
 * the API). A Spanish admin reads them in Spanish: the known ones are
 * matched here and translated, anything else is shown as the server wrote it.
 */
type Rule = readonly [pattern: RegExp, replacement: string];

const ES: Rule[] = [
  [/^Required\.$/, 'Obligatorio.'],
  [/^At most (\d+) characters\.$/, 'Como máximo $1 caracteres.'],
  [/^At most (\d+) tags\.$/, 'Como máximo $1 etiquetas.'],
  [/^At most (\d+) phones\.$/, 'Como máximo $1 teléfonos.'],
  [/^Not a valid email address\.$/, 'No es una dirección de correo válida.'],
  [/^Not a valid phone number \(default region (\w+)\)\.$/, 'No es un número de teléfono válido (región por defecto: $1).'],
  [/^This number is listed twice\.$/, 'Este número está repetido.'],
  [/^Use the format YYYY-MM-DD\.$/, 'Usa el formato AAAA-MM-DD.'],
  [/^Not a real date\.$/, 'No es una fecha real.'],
  [/^Must not be before 1900-01-01\.$/, 'No puede ser anterior a 1900.'],
  [/^Must be in the past\.$/, 'Debe ser una fecha pasada.'],
  [/^Must be between the years 1900 and 9999\.$/, 'Debe estar entre los años 1900 y 9999.'],
  [/^Use a two-letter ISO country code, e\.g\. ES\.$/, 'Usa un código de país ISO de dos letras, p. ej. ES.'],
  [/^Not a valid IBAN \(checksum failed\)\.$/, 'No es un IBAN válido (falla el dígito de control).'],
  [/^Not a valid BIC\.$/, 'No es un BIC válido.'],
  [/^Between 0 and 100\.$/, 'Entre 0 y 100.'],
  [/^Required for a company or sole trader\.$/, 'Obligatorio para una empresa o un autónomo.'],
  [/^A customer needs at least a name, an email or a phone\.$/, 'Un cliente necesita al menos un nombre, un correo o un teléfono.'],
  [/^Tags cannot be empty\.$/, 'Las etiquetas no pueden estar vacías.'],
  [/^Must be a whole number\.$/, 'Debe ser un número entero.'],
  [/^Must be a number\.$/, 'Debe ser un número.'],
  [/^Must be true or false\.$/, 'Debe ser sí o no.'],
  [/^Must be text of at most (\d+) characters\.$/, 'Debe ser un texto de como máximo $1 caracteres.'],
  [/^Must be one of: (.*)\.$/, 'Debe ser uno de: $1.'],
  [/^No custom field with this key\.$/, 'No existe un campo adicional con esta clave.'],
  [/^The note is empty\.$/, 'La nota está vacía.'],
];

const RULES: Record<string, Rule[]> = { es: ES };

export function localizeServerMessage(message: string, locale: string): string {
  for (const [pattern, replacement] of RULES[locale.toLowerCase().split('-')[0]] ?? []) {
    if (pattern.test(message)) return message.replace(pattern, replacement);
  }
  return message;
}
