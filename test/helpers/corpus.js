'use strict';
const { readJson } = require('./paths');

/** The corpus of rendered Flow bodies (test/fixtures/flow-renderings.json). */
module.exports = { corpus: readJson('test/fixtures/flow-renderings.json') };
