import {
  apiBaseUrlOption,
  autoHangUpParam,
  hangUpTimeoutMsOption,
  pipelineSampleRateParam,
} from '@callwire/kit';
import { z } from 'zod';

/** `registerCarrier(container, acme, options)`: the API key is needed only to hang calls up. */
export const AcmeOptionsSchema = z.strictObject({
  apiKey: z.string().min(1).optional(),
  apiBaseUrl: apiBaseUrlOption('https://api.acme.example'),
  hangUpTimeoutMs: hangUpTimeoutMsOption,
});
export type AcmeOptions = z.input<typeof AcmeOptionsSchema>;
export type ResolvedAcmeOptions = z.output<typeof AcmeOptionsSchema>;

/** Per-call params: the pipeline rate (Hz) and auto hang-up, both from the kit's fragments. */
export const AcmeCallParamsSchema = z.strictObject({
  sampleRate: pipelineSampleRateParam,
  autoHangUp: autoHangUpParam,
});
