import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { catalogProductSchema, catalogProductBodySchema } from '../../domain/catalog.js';
import { listCatalog } from '../../services/vendor/list-products.js';
import { putProduct } from '../../services/vendor/put-product.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { config, tags } from '../schemas/vendor.js';

// The vendor's product catalog.

export function vendorCatalogRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/vendor/products', {
      config,
      schema: { tags, summary: 'The product catalog: each product with its licensing model and parameters, and its support address', response: { 200: z.object({ items: z.array(catalogProductSchema) }), ...errors } },
      handler: async (req) => ({ items: await listCatalog(deps, actorOf(req)) }),
    });

    app.put('/vendor/products/:code', {
      config,
      schema: {
        tags,
        summary: 'Add a product to the catalog, or replace its definition (201 when new); products are never deleted',
        params: z.strictObject({ code: catalogProductSchema.shape.code }),
        body: catalogProductBodySchema,
        response: { 200: z.object({ product: catalogProductSchema }), 201: z.object({ product: catalogProductSchema }), ...errors },
      },
      handler: async (req, reply) => {
        const { product, created } = await putProduct(deps, actorOf(req), { ...req.body, code: req.params.code });
        return reply.code(created ? 201 : 200).send({ product });
      },
    });
  };
}
