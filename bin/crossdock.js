#!/usr/bin/env node
// Entry point for `npx crossdock`. The CLI is bundled into a few files in dist/cli (built by
// `npm install`'s prepare step, `npm run build`): loading 90 small modules one by one cost a
// no-op sync a tenth of its time (bench/RESULTS.md). The library stays in dist/src.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
