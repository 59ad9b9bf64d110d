// What permessage-deflate would cost the server per outbound Plivo media message (issue 20): ws
// deflates each message through async zlib with context takeover. Each message carries fresh 8-bit
// μ-law-like noise, so the dictionary cannot simply replay the previous message.
const crypto = require('node:crypto');
const zlib = require('node:zlib');

const count = 20_000;
const messages = Array.from({ length: count }, (_, i) => {
  const payload = crypto
    .randomBytes(160)
    .map((byte) => 0x70 + (byte & 0x1f))
    .toString('base64');
  const media = { track: 'inbound', timestamp: String(i * 20), chunk: i, payload };
  const streamId = 'b6e4b1c2-1111-2222-3333-444455556666';
  return Buffer.from(JSON.stringify({ event: 'media', sequenceNumber: i, streamId, media }));
});
const deflate = zlib.createDeflateRaw({ windowBits: 15 });
let bytesOut = 0;
let done = 0;
const cpuStart = process.cpuUsage();
(function next() {
  deflate.write(messages[done]);
  deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
    for (let chunk = deflate.read(); chunk; chunk = deflate.read()) bytesOut += chunk.length;
    if (++done < count) return next();
    const cpu = process.cpuUsage(cpuStart);
    console.log(
      `message ${messages[0].length} B -> ${(bytesOut / count).toFixed(0)} B deflated, ` +
        `${((cpu.user + cpu.system) / count).toFixed(1)} µs of CPU per message`,
    );
  });
})();
