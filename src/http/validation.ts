import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Two validators: request bodies are strict (no type coercion, unknown fields rejected, not silently
 * dropped), while query strings and path params coerce "12" → 12 as URLs require.
 */
function build(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, strict: false, ...options });
  addFormats.default(ajv);
  return ajv;
}

const bodyAjv = build({ coerceTypes: false });
const urlAjv = build({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : urlAjv;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
};
