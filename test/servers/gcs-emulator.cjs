// Runs only the HTTP server of the firebase-tools Storage emulator, which implements the
// subset of the GCS JSON API our GCS backend uses. `firebase emulators:start` would need
// Java 21 and a download; the Java rules runtime is replaced by no-ops because the GCS API
// path (admin access) never consults rules. Relies on firebase-tools internals: keep the
// version pinned in package.json next to this file.
const { StorageEmulator } = require('firebase-tools/lib/emulator/storage');
const { EmulatorRegistry } = require('firebase-tools/lib/emulator/registry');

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
