// Types of generate-python-models.mjs for the drift test (clients/python/python-models.test.ts).

/** What the generator needs of the contracts package. */
export interface ContractsModule {
  allEndpoints: readonly unknown[];
  endpointTags: Readonly<Record<string, string>>;
  // biome-ignore lint/suspicious/noExplicitAny: the document builder's own parameter types are the contracts' business
  buildOpenApiDocument: (endpoints: any, options: any) => unknown;
}

/** The component schemas the SDK's resources answer. */
export declare const rootSchemas: readonly string[];
/** The list operations whose page types are generated. */
export declare const pageOperations: readonly string[];
/** Renders models.py from an OpenAPI document. */
export declare function renderPythonModels(document: unknown): string;
/** Builds the OpenAPI document from a contracts module. */
export declare function buildDocumentFrom(contracts: ContractsModule): unknown;
/** Builds the OpenAPI document from the built contracts package. */
export declare function loadOpenApiDocument(): Promise<unknown>;
/** Where models.py lives. */
export declare const modelsPath: string;
