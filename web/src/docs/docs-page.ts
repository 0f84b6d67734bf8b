// The API reference: Swagger UI (bundled from swagger-ui-dist, served from this origin, no CDN)
// rendering the Worker's own /openapi.json, so the page always shows the deployed API.
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';

SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#api-reference',
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
});
