import type { LoadStepOptions, LoadStepResult } from './run-load.js';
import type { ServerProcess } from './server-process.js';

/** A way of generating the calls of one load step. */
export interface LoadClient {
  readonly name: string;
  runStep(server: ServerProcess, options: LoadStepOptions): Promise<LoadStepResult>;
}
