// The original pipeline's validator, as the baseline haul-validate must beat.
//
//   node zod_validate.mjs INPUT.jsonl VALID.jsonl INVALID.jsonl
//
// Does the same work as haul-validate: read NDJSON, JSON.parse each line,
// validate with the original `vehicleSchema` and business rules
// (DataValidator.validateVehicle), write each record to the valid or the
// invalid file. Prints one JSON summary line on stdout.
//
// The schema and rules are kept faithful to the original on purpose —
// including the year limit taken from the clock when the schema is built,
// parse() throwing on failure, and `errors: [error.message]` — because the
// point is to measure what the original costs, quirks included. The I/O
// around it is written to be fast (big chunks, manual line splitting), so
// Node is not handicapped by anything the original did not do.
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';

// The original's vehicleSchema, field for field. Note the year limit: read
// from the clock once, when the module loads, exactly as the original does.
const vehicleSchema = z.object({
  make: z.string().min(1).max(100),
  model: z.string().min(1).max(100),
  year: z.number().int().min(1900).max(new Date().getFullYear() + 2),
  price: z.string().regex(/^\d+(\.\d{2})?$/).optional(),
  description: z.string().max(5000).optional(),
  imageUrl: z.string().url().optional(),
  locationCity: z.string().max(100).optional(),
  locationState: z.string().length(2).optional(),
  locationRegion: z.enum(['West', 'South', 'Midwest', 'Northeast', 'Europe', 'Asia', 'Oceania']).optional(),
  category: z.enum([
    'Muscle Cars', 'Sports Cars', 'Classic Cars', 'Hot Rods', 'Restomods', 'Luxury Cars', 'Trucks',
  ]).optional(),
  condition: z.enum(['Excellent', 'Very Good', 'Good', 'Fair', 'Project']).optional(),
  sourceName: z.string().max(100),
  sourceUrl: z.string().url(),
  stockNumber: z.string().max(100).optional(),
});

// DataValidator.validateVehicle from the original, unchanged in behaviour.
function validateVehicle(data) {
  try {
    const validated = vehicleSchema.parse(data);
    const errors = [];
    if (validated.price) {
      const price = parseFloat(validated.price);
      if (price < 1000 || price > 10000000) {
        errors.push(`Price ${price} outside reasonable range`);
      }
    }
    if (validated.year < 1920) {
      errors.push(`Year ${validated.year} too old for database`);
    }
    return { valid: errors.length === 0, data: validated, errors };
  } catch (error) {
    return { valid: false, errors: [error.message] };
  }
}

// Collects output lines and hands the stream one big chunk per input chunk,
// honouring backpressure: a write() per record would spend more time in
// stream machinery than in Zod.
class LineWriter {
  constructor(path) {
    this.stream = createWriteStream(path);
    this.parts = [];
  }

  push(line) {
    this.parts.push(line);
  }

  async flush() {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close() {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

function zodVersion() {
  try {
    const url = new URL('./node_modules/zod/package.json', import.meta.url);
    return JSON.parse(readFileSync(url, 'utf8')).version;
  } catch {
    return null;
  }
}

async function main() {
  const [input, validPath, invalidPath] = process.argv.slice(2);
  if (!input || !validPath || !invalidPath) {
    console.error('usage: node zod_validate.mjs INPUT.jsonl VALID.jsonl INVALID.jsonl');
    process.exit(64);
  }
  const start = performance.now();
  const valid = new LineWriter(validPath);
  const invalid = new LineWriter(invalidPath);
  let records = 0;
  let validCount = 0;
  let invalidCount = 0;
  let jsonErrors = 0;

  const handle = (line, lineNo) => {
    if (line.trim() === '') return;
    records++;
    let data;
    try {
      data = JSON.parse(line);
    } catch (error) {
      jsonErrors++;
      invalidCount++;
      invalid.push(`${JSON.stringify({ line: lineNo, errors: [error.message] })}\n`);
      return;
    }
    const result = validateVehicle(data);
    if (result.valid) {
      validCount++;
      valid.push(`${JSON.stringify(result.data)}\n`);
    } else {
      invalidCount++;
      invalid.push(`${JSON.stringify({ line: lineNo, errors: result.errors, record: data })}\n`);
    }
  };

  // setEncoding makes the stream decode UTF-8 across chunk boundaries.
  const stream = createReadStream(input, { highWaterMark: 1 << 20 });
  stream.setEncoding('utf8');
  let carry = '';
  let lineNo = 0;
  for await (const chunk of stream) {
    const text = carry + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      handle(text.slice(from, nl), ++lineNo);
      from = nl + 1;
    }
    carry = text.slice(from);
    await Promise.all([valid.flush(), invalid.flush()]);
  }
  if (carry !== '') handle(carry, ++lineNo);
  await Promise.all([valid.close(), invalid.close()]);

  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(`${JSON.stringify({
    records,
    valid: validCount,
    invalid: invalidCount,
    json_errors: jsonErrors,
    bytes: statSync(input).size,
    seconds: Number(seconds.toFixed(6)),
    zod: zodVersion(),
  })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
