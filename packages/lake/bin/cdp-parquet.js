#!/usr/bin/env node
// Runs the compiled CLI (npm run build produces dist/).
await import('../dist/cli/run-main.js');
