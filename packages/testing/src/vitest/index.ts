// `@callwire/testing/vitest`: the carrier test kit. Test files only: it imports vitest.
export {
  type CarrierSuitePart,
  type DescribeCarrierOptions,
  describeCarrier,
} from '../conformance/describe-carrier.js';
export { describeMediaFastPath, type MediaFastPathSpec } from '../conformance/media-fast-path.js';
