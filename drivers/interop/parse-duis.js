// Parses DUIS files with the DCC's own parser (@smartdcc/duis-parser, "simplified" mode) and prints one
// JSON object per file on its own line, so SecDcc.Duis.Tests can compare what the DCC's parser reads
// with what SecDcc's parser reads.
// Usage: node parse-duis.js FILE...
'use strict';
const fs = require('fs');
const { parseDuis } = require('@smartdcc/duis-parser');

const replacer = (_key, value) => (typeof value === 'bigint' ? value.toString() : value);

for (const file of process.argv.slice(2)) {
  try {
    const parsed = parseDuis('simplified', fs.readFileSync(file));
    const header = parsed.header;
    const out = { file, ok: true, type: header.type };
    if (header.requestId) {
      out.requestId = header.requestId;
    }
    if (header.type === 'request') {
      out.commandVariant = header.commandVariant.number;
      out.serviceReference = header.serviceReference;
      out.serviceReferenceVariant = header.serviceReferenceVariant['Service Reference Variant'];
    } else {
      out.responseCode = header.responseCode;
      out.responseId = header.responseId;
    }
    out.body = parsed.body;
    console.log(JSON.stringify(out, replacer));
  } catch (e) {
    console.log(JSON.stringify({ file, ok: false, error: String(e && e.message ? e.message : e) }));
  }
}
