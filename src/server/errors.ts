import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors/errors.js';
import { sendError } from './http.js';

/** Maps every thrown error to `{ error, message }` with a stable id; internals never leak. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) return sendError(reply, error);
    if ((error as FastifyError).validation) {
      return sendError(reply, new AppError('validation_failed', `Invalid request: ${error.message}`, (error as FastifyError).validation));
    }
    switch ((error as FastifyError).code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, new AppError('payload_too_large', 'That upload is too large.'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, new AppError('unsupported_media_type', 'Send JSON (Content-Type: application/json).'));
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, new AppError('bad_request', error.message));
    }
    if ((error as FastifyError).statusCode && (error as FastifyError).statusCode! < 500) {
      const status = (error as FastifyError).statusCode!;
      if (status === 429) return sendError(reply, new AppError('rate_limited', error.message));
      return reply.status(status).send({ error: 'bad_request', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, new AppError('internal', 'Something went wrong on the server. It has been logged.'));
  });
}
