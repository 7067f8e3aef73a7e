import { createApiClient } from '../api/client';
import type { ApiClient } from '../api/client';
import type { Engine } from './engine';
import { inProcessChannelPair } from './transports/inProcess';

/** A client wired to an engine in the same process — what the CLI and tests use. */
export function connectInProcess(engine: Engine): ApiClient {
  const [clientSide, engineSide] = inProcessChannelPair();
  engine.connect(engineSide, 'in-process');
  return createApiClient(clientSide);
}
