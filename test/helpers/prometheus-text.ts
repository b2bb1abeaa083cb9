/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line must be a HELP,
 * a TYPE or a sample of a declared family, or parsing fails. Enough to prove a scrape parses.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const metricName = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const helpLine = new RegExp(`^# HELP (${metricName}) (.*)$`);
const typeLine = new RegExp(`^# TYPE (${metricName}) (counter|gauge|histogram|summary|untyped)$`);
const sampleLine = new RegExp(`^(${metricName})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const labelPair = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/;
const histogramSuffixes = ['_bucket', '_sum', '_count'];

function parseLabels(text: string | undefined, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text ?? '';
  while (rest !== '') {
    const match = labelPair.exec(rest);
    if (match === null) throw new Error(`malformed labels in: ${line}`);
    labels[match[1] as string] = (match[2] as string).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    rest = rest.slice(match[0].length);
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`malformed value in: ${line}`);
  return value;
}

export function parsePrometheusText(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const typed = typeLine.exec(line);
    if (typed !== null) {
      types.set(typed[1] as string, typed[2] as string);
      continue;
    }
    if (helpLine.test(line)) continue;
    const sample = sampleLine.exec(line);
    if (sample === null) throw new Error(`not a Prometheus text line: ${line}`);
    const name = sample[1] as string;
    const family = types.has(name) ? name : histogramSuffixes.map((suffix) => (name.endsWith(suffix) ? name.slice(0, -suffix.length) : '')).find((base) => base !== '' && types.has(base));
    if (family === undefined) throw new Error(`sample of an undeclared family: ${line}`);
    samples.push({ name, labels: parseLabels(sample[2], line), value: parseValue(sample[3] as string, line) });
  }
  return samples;
}

/** The sum of the samples with this name whose labels include `labels` (0 when there is none). */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  return found.reduce((sum, sample) => sum + sample.value, 0);
}
