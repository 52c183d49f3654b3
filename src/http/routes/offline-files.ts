import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { offlineUploadAnswerSchema, offlineUploadSchema } from '../../domain/licensing-protocol.js';
import type { Deps } from '../../services/context.js';
import { acceptOfflineFile } from '../../services/licensing/offline-files.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { accountIdParams } from '../schemas/common.js';

/** The portal's "Offline Activation and Validation" page: upload a request file, get the signed answer back. */
export function offlineFilesRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/accounts/:accountId/offline-files', {
      schema: {
        tags: ['licensing'],
        summary:
          "Upload an installation's offline request file (activation, refresh or deactivation); activations and refreshes answer the signed file to carry back to it",
        params: accountIdParams,
        body: offlineUploadSchema,
        response: { 200: offlineUploadAnswerSchema, ...errors },
      },
      handler: async (req) => acceptOfflineFile(deps, actorOf(req), req.params.accountId, req.body.file),
    });
  };
}
