import { stackSuite } from './testing/stack-suite.js';

// The whole prod program under Pulumi mocks (see testing/stack-suite.ts).
stackSuite('prod');
