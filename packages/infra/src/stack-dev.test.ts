import { stackSuite } from './testing/stack-suite.js';

// The whole dev program under Pulumi mocks (see testing/stack-suite.ts).
stackSuite('dev');
