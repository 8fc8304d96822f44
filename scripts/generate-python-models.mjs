#!/usr/bin/env node
// Writes clients/python/mission_control/models.py from the contracts' OpenAPI document, so the
// Python SDK's result types cannot drift from what the server answers. Run after `npx tsc -b`:
//   node scripts/generate-python-models.mjs
// The drift test (clients/python/python-models.test.ts) calls renderPythonModels and compares.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The component schemas the SDK's resources answer; whatever they point at is generated too. */
export const rootSchemas = [
  'Agent',
  'AgentRun',
  'AgentRunDetail',
  'ApiKey',
  'ClaimResult',
  'CreatedApiKey',
  'Document',
  'DocumentSummary',
  'HeartbeatResponse',
  'Me',
  'Message',
  'Notification',
  'SessionTokens',
  'Task',
  'WorkingState',
];

/** List operations whose page type is generated, named after the item (`TaskPage`). */
export const pageOperations = ['listAgents', 'listDocuments', 'listMessages', 'listNotifications', 'listRuns', 'listTasks'];

const pythonKeywords = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

const refPrefix = '#/components/schemas/';

function pascalCase(text) {
  return text.replace(/[^A-Za-z0-9]+(.)?/g, (_, next) => (next ? next.toUpperCase() : '')).replace(/^./, (first) => first.toUpperCase());
}

function snakeCase(text) {
  const snake = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();
  return pythonKeywords.has(snake) ? `${snake}_` : snake;
}

function pythonString(text) {
  return JSON.stringify(text);
}

function isObjectSchema(schema) {
  return schema && schema.type === 'object' && schema.properties && Object.keys(schema.properties).length > 0;
}

function withoutNull(schemas) {
  return schemas.filter((schema) => schema.type !== 'null');
}

function isNullable(schema) {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.some((variant) => variant.type === 'null');
  return Array.isArray(schema.type) && schema.type.includes('null');
}

/** The object variants of a oneOf/anyOf that share one property with a distinct const (`kind`). */
function discriminatorOf(variants) {
  if (variants.length < 2 || !variants.every(isObjectSchema)) return undefined;
  const candidates = Object.keys(variants[0].properties).filter((name) =>
    variants.every((variant) => variant.properties[name]?.const !== undefined),
  );
  return candidates.find((name) => new Set(variants.map((variant) => variant.properties[name].const)).size === variants.length);
}

/**
 * Turns JSON schemas into Python declarations. Each object becomes a dataclass; inline objects
 * are named after their parent and field; unions with a discriminator get a parse function.
 */
class PythonModelWriter {
  constructor(schemas) {
    this.schemas = schemas;
    this.blocks = [];
    this.done = new Map();
    this.parsers = [];
  }

  /** Generates a component (once) and answers the Python type and conversion of a value of it. */
  component(name) {
    const existing = this.done.get(name);
    if (existing) return existing;
    const schema = this.schemas[name];
    if (!schema) throw new Error(`The OpenAPI document has no component schema ${name}.`);
    // Reserve the name first: components may point at each other.
    const placeholder = { type: name, needsConversion: true, convert: (value) => `_optional(${value}, ${name}.from_dict)` };
    this.done.set(name, placeholder);
    const described = this.describe(schema, name);
    if (described.declared) {
      this.done.set(name, described);
      return described;
    }
    // A component that is not an object (an enum, a union without dataclass) is a type alias.
    this.blocks.push(`${name} = ${described.type}\n${docLine(schema, name)}`);
    const alias = { ...described, type: name };
    this.done.set(name, alias);
    return alias;
  }

  /** The Python type of a schema, and an expression that converts the JSON value to it. */
  describe(schema, suggestedName) {
    if (!schema || Object.keys(schema).length === 0) return plain('Any');
    if (schema.$ref) {
      const name = schema.$ref.slice(refPrefix.length);
      return this.component(name);
    }
    const variants = schema.anyOf ?? schema.oneOf;
    if (variants) {
      const present = withoutNull(variants);
      if (present.length === 1) return optional(this.describe(present[0], suggestedName));
      const inner = this.describeUnion(present, suggestedName, schema);
      return isNullable(schema) ? optional(inner) : inner;
    }
    if (Array.isArray(schema.type)) {
      const types = schema.type.filter((type) => type !== 'null');
      const inner = types.length === 1 ? this.describe({ ...schema, type: types[0] }, suggestedName) : plain('Any');
      return schema.type.includes('null') ? optional(inner) : inner;
    }
    if (schema.const !== undefined) return plain(`Literal[${JSON.stringify(schema.const)}]`);
    if (schema.enum) return plain(`Literal[${schema.enum.map((value) => JSON.stringify(value)).join(', ')}]`);
    switch (schema.type) {
      case 'string':
        return plain('str');
      case 'integer':
        return plain('int');
      case 'number':
        return plain('float');
      case 'boolean':
        return plain('bool');
      case 'null':
        return plain('None');
      case 'array': {
        const item = this.describe(schema.items ?? {}, `${suggestedName}Item`);
        if (!item.needsConversion) return plain(`list[${item.type}]`);
        return { type: `list[${item.type}]`, needsConversion: true, convert: (value) => `_list(${value}, ${converter(item)})` };
      }
      case 'object':
        if (isObjectSchema(schema)) return this.dataclass(suggestedName, schema);
        return plain('dict[str, Any]');
      default:
        return plain('Any');
    }
  }

  describeUnion(variants, suggestedName, schema) {
    const key = discriminatorOf(variants);
    if (!key) return plain('Any');
    const members = variants.map((variant) =>
      this.dataclass(`${suggestedName}${pascalCase(String(variant.properties[key].const))}`, variant),
    );
    const parser = `parse_${snakeCase(suggestedName)}`;
    this.parsers.push(parser);
    const cases = variants
      .map(
        (variant, index) =>
          `    if kind == ${JSON.stringify(variant.properties[key].const)}:\n        return ${members[index].type}.from_dict(data)`,
      )
      .join('\n');
    const union = suggestedName;
    this.blocks.push(
      [
        `def ${parser}(data: Mapping[str, Any]) -> ${union}:`,
        `    """${oneLine(schema.description) || `Reads a ${suggestedName} by its ${key}.`} Unknown kinds raise ValueError."""`,
        `    kind = data.get(${pythonString(key)})`,
        cases,
        `    raise ValueError(f"unknown ${key} {kind!r} for ${suggestedName}")`,
        '',
      ].join('\n'),
    );
    this.blocks.push(`${suggestedName} = Union[${members.map((member) => member.type).join(', ')}]\n${docLine(schema, suggestedName)}`);
    return { type: union, needsConversion: true, convert: (value) => `_optional(${value}, ${parser})`, declared: true };
  }

  dataclass(name, schema) {
    const required = new Set(schema.required ?? []);
    const fields = Object.entries(schema.properties).map(([key, property]) => {
      const described = this.describe(property, `${name}${pascalCase(key)}`);
      return { key, name: snakeCase(key), property, described, required: required.has(key) };
    });
    // Dataclass fields without a default come first.
    const ordered = [...fields.filter((field) => field.required), ...fields.filter((field) => !field.required)];
    const lines = ['@dataclass', `class ${name}:`, `    """${oneLine(schema.description) || `${name}, as the server answers it.`}"""`, ''];
    for (const field of ordered) {
      const type = field.required ? field.described.type : optionalType(field.described.type);
      const metadata = `metadata={"key": ${pythonString(field.key)}, "required": ${field.required ? 'True' : 'False'}}`;
      const declaration = field.required ? `field(${metadata})` : `field(default=None, ${metadata})`;
      lines.push(wrapLongLiteral(`    ${field.name}: ${type} = ${declaration}`));
      const description = oneLine(field.property.description);
      if (description) lines.push(`    """${description}"""`);
    }
    lines.push('', '    @classmethod', `    def from_dict(cls, data: Mapping[str, Any]) -> "${name}":`);
    lines.push('        """Reads the JSON answer; keys this version does not know are ignored."""');
    lines.push('        return cls(');
    for (const field of ordered) {
      const value = `data.get(${pythonString(field.key)})`;
      lines.push(`            ${field.name}=${field.described.needsConversion ? field.described.convert(value) : value},`);
    }
    lines.push('        )', '', '    def to_dict(self) -> dict[str, Any]:', '        """The JSON form, with the server\'s key names."""');
    lines.push('        return _to_dict(self)', '');
    this.blocks.push(lines.join('\n'));
    return { type: name, needsConversion: true, convert: (value) => `_optional(${value}, ${name}.from_dict)`, declared: true };
  }
}

/** A field line over 120 characters with a long Literal gets one value a line (PEP 8). */
function wrapLongLiteral(line) {
  const match = /^( {4}\w+: (?:Optional\[)?Literal\[)(.*?)(\](?:\])? = .*)$/.exec(line);
  if (line.length <= 120 || !match) return line;
  const values = match[2].split(', ').map((value) => `        ${value},`);
  return [match[1], ...values, `    ${match[3]}`].join('\n');
}

function plain(type) {
  return { type, needsConversion: false, convert: (value) => value };
}

function optionalType(type) {
  return type.startsWith('Optional[') || type === 'Any' ? type : `Optional[${type}]`;
}

function optional(described) {
  return { ...described, type: optionalType(described.type), declared: described.declared };
}

/** A one-argument callable that converts a JSON value the way `described` does. */
function converter(described) {
  const probe = described.convert('__value__');
  const direct = /^_optional\(__value__, (.+)\)$/.exec(probe);
  return direct ? direct[1] : `lambda __value__: ${probe}`;
}

function oneLine(text) {
  return (text ?? '').replace(/\s+/g, ' ').replace(/"""/g, "'''").replace(/\\/g, '\\\\').trim();
}

function docLine(schema, name) {
  return `"""${oneLine(schema.description) || `${name}, as the contracts define it.`}"""\n`;
}

function findOperation(document, operationId) {
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.operationId === operationId) return { path, method: method.toUpperCase(), operation };
    }
  }
  throw new Error(`The OpenAPI document has no operation ${operationId}.`);
}

/** Renders models.py from an OpenAPI document (pure: same document, same text). */
export function renderPythonModels(document) {
  const writer = new PythonModelWriter(document.components.schemas);
  const exported = [];
  for (const name of rootSchemas) {
    writer.component(name);
    exported.push(name);
  }
  for (const operationId of pageOperations) {
    const { operation } = findOperation(document, operationId);
    const schema = operation.responses['200'].content['application/json'].schema;
    const itemReference = schema.properties.data.items.$ref;
    const pageName = `${itemReference.slice(refPrefix.length)}Page`;
    writer.dataclass(pageName, { ...schema, description: `One page of ${operationId}: data, and nextCursor for the next page.` });
    exported.push(pageName);
  }
  // The server's stable error codes, so `error.code` can be compared against a checked list.
  const codes = document.components.schemas.ErrorBody.properties.error.properties.code.enum;
  writer.blocks.push(
    [
      'ERROR_CODES: tuple[str, ...] = (',
      ...codes.map((code) => `    ${pythonString(code)},`),
      ')',
      '"""Every code the server answers in `{"error": {"code", ...}}`."""',
      '',
      `ErrorCode = Literal[\n${codes.map((code) => `    ${pythonString(code)},`).join('\n')}\n]`,
      '"""The server\'s error codes as a type."""',
      '',
    ].join('\n'),
  );
  exported.push('ERROR_CODES', 'ErrorCode');
  const names = [...new Set([...writer.done.keys(), ...exported, ...writer.parsers])].sort();
  const header = [
    "# Generated by scripts/generate-python-models.mjs from the contracts' OpenAPI document. Do not edit:",
    '# change the zod schemas in packages/contracts, build, and run node scripts/generate-python-models.mjs.',
    '"""Typed results of the Mission Control API (dataclasses generated from the OpenAPI document)."""',
    '',
    'from __future__ import annotations',
    '',
    'from dataclasses import dataclass, field, fields, is_dataclass',
    'from typing import Any, Callable, Literal, Mapping, Optional, TypeVar, Union',
    '',
    '__all__ = [',
    ...names.map((name) => `    ${pythonString(name)},`),
    ']',
    '',
    '_T = TypeVar("_T")',
    '',
    '',
    'def _optional(value: Any, convert: Callable[[Any], _T]) -> Optional[_T]:',
    '    return None if value is None else convert(value)',
    '',
    '',
    'def _list(value: Any, convert: Callable[[Any], _T]) -> Optional[list[_T]]:',
    '    return None if value is None else [convert(item) for item in value]',
    '',
    '',
    'def _plain(value: Any) -> Any:',
    '    if is_dataclass(value) and not isinstance(value, type):',
    '        return _to_dict(value)',
    '    if isinstance(value, list):',
    '        return [_plain(item) for item in value]',
    '    return value',
    '',
    '',
    'def _to_dict(model: Any) -> dict[str, Any]:',
    '    answer: dict[str, Any] = {}',
    '    for item in fields(model):',
    '        value = getattr(model, item.name)',
    '        if value is not None or item.metadata.get("required", True):',
    '            answer[item.metadata["key"]] = _plain(value)',
    '    return answer',
    '',
  ].join('\n');
  return `${header}\n\n${writer.blocks.join('\n\n')}`.replace(/\n{3,}/g, '\n\n\n').replace(/\n*$/, '\n');
}

/** Builds the OpenAPI document from a contracts module (its sources in tests, the built package here). */
export function buildDocumentFrom(contracts) {
  return contracts.buildOpenApiDocument(contracts.allEndpoints, {
    title: 'Mission Control API',
    version: 'generated',
    description: '',
    serverUrl: 'http://127.0.0.1:4000',
    tags: contracts.endpointTags,
  });
}

/** Builds the OpenAPI document from the built contracts package (run `npx tsc -b` first). */
export async function loadOpenApiDocument() {
  const built = pathToFileURL(fileURLToPath(new URL('../packages/contracts/dist/index.js', import.meta.url))).href;
  return buildDocumentFrom(await import(built));
}

/** Where the generated module lives. */
export const modelsPath = fileURLToPath(new URL('../clients/python/mission_control/models.py', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderPythonModels(await loadOpenApiDocument());
  writeFileSync(modelsPath, text);
  console.log(`wrote ${modelsPath}`);
}
