// Entry point for `node src/cli/run-main.ts` / the bin script: runs main and sets the exit code.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
