#!/usr/bin/env node
import { main } from '../dist/cli/backtest.js';
import { handleError } from '../dist/cli/handle-error.js';

main().catch((e) => handleError(e));
