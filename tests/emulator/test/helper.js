'use strict';
// Start an emulator in this process for a test; give the AWS SDK client
// configuration that points at it.

const { Emulator } = require('../server.js');

async function start(opts = {}) {
  const emu = new Emulator(Object.assign({ org: 'small', seed: 7, faults: '',
    sessionSeconds: 3600 }, opts));
  const server = await emu.listen(0);
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  const k = emu.org.keys[0];
  const config = (extra = {}) => Object.assign({
    endpoint, region: emu.org.regions[0], maxAttempts: 1,
    credentials: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey },
  }, extra);
  return { emu, server, endpoint, config, close: () => new Promise((r) => server.close(r)) };
}

module.exports = { start };
