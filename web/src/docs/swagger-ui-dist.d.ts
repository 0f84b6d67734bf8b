declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  /** Swagger UI's factory, as swagger-ui-dist's bundle exports it. */
  const SwaggerUIBundle: (options: Record<string, unknown>) => unknown;
  export default SwaggerUIBundle;
}
