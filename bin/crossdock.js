#!/usr/bin/env node
// Entry point for `npx crossdock`. The CLI is bundled into dist/cli by scripts/bundle-cli.mjs
// (`npm install`'s prepare step runs `npm run build`); the library stays in dist/src.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
