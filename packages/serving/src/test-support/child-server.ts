// A server in its own process for durability tests: prints its URL on stdout, then serves until killed.
import { createLocalServing } from '../local-serving.js';
import { startNodeServer } from '../adapters/node-server.js';

const home = process.argv[2];
const serving = await createLocalServing({ home, pollSeconds: 0 });
const server = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
process.stdout.write(`LISTENING ${server.url}\n`);
