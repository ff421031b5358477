// Runs only the HTTP server of the firebase-tools Storage emulator, which implements the
// subset of the GCS JSON API our GCS backend uses. `firebase emulators:start` would need
// Java 21 and a download; the Java rules runtime is replaced by no-ops because the GCS API
// path (admin access) never consults rules. Relies on firebase-tools internals: keep the
// version pinned in package.json next to this file.
const http = require('node:http');
const { StorageEmulator } = require('firebase-tools/lib/emulator/storage');
const { EmulatorRegistry } = require('firebase-tools/lib/emulator/registry');
const server = require('firebase-tools/lib/emulator/storage/server');

// The emulator ignores ifGenerationMatch on uploads; GCS enforces it, and our conditional
// create (putIfAbsent) relies on it. Uploads carrying it are checked here and run one at a
// time per object, as GCS makes them atomic.
const createApp = server.createApp;
server.createApp = async (projectId, emulator) => {
  const app = await createApp(projectId, emulator);
  const queues = new Map();
  const withPreconditions = (req, res) => {
    const url = new URL(req.url, 'http://emulator');
    const m = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const want = url.searchParams.get('ifGenerationMatch');
    const name = url.searchParams.get('name');
    if (req.method !== 'POST' || m === null || want === null || name === null) return app(req, res);
    const bucket = decodeURIComponent(m[1]);
    const id = `${bucket}/${name}`;
    const previous = queues.get(id) ?? Promise.resolve();
    const done = previous.then(
      () =>
        new Promise((release) => {
          res.on('close', release);
          const current = emulator.storageLayer.getMetadata(bucket, name);
          const generation = current === undefined ? '0' : String(current.generation);
          if (generation !== want) {
            req.resume();
            res.writeHead(412, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 412, message: 'conditionNotMet', errors: [{ reason: 'conditionNotMet' }] } }));
            return;
          }
          app(req, res);
        }),
    );
    queues.set(id, done);
    void done.then(() => {
      if (queues.get(id) === done) queues.delete(id);
    });
  };
  withPreconditions.listen = (...args) => http.createServer(withPreconditions).listen(...args);
  return withPreconditions;
};

const port = Number(process.env.PORT || 9199);
const emulator = new StorageEmulator({ projectId: 'test', host: '127.0.0.1', port, rules: [], auto_download: false });
emulator._rulesRuntime.start = async () => {};
emulator._rulesRuntime.stop = async () => {};
EmulatorRegistry.start(emulator)
  .then(() => console.log(`gcs emulator listening on http://127.0.0.1:${port}`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
