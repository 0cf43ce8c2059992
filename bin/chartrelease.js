#!/usr/bin/env node
// The chartrelease command line: runs the compiled CLI (npm run build writes dist/).
import { main } from '../dist/src/cli/index.js';

process.exitCode = await main(process.argv.slice(2));
