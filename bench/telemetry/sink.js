'use strict';
// What bench/telemetry/run.js and profile.js share: starting a telemetry-sink and the router
// config that sends every kind of telemetry to it.

// Starts telemetry-sink in `mode` (ok, black-hole, slow) through the federation harness `h`;
// resolves with { child, url } once it prints its URL and "ready".
async function startSink(h, bin, mode) {
  const child = h.startProcess(`telemetry-sink-${mode}`, bin, ['--mode', mode], { pipeStdout: true });
  let text = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('telemetry-sink did not start')), 10000);
    child.stdout.on('data', (d) => {
      text += d;
      const m = /^url (http:\S+)$/m.exec(text);
      if (m && /^ready$/m.test(text)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`telemetry-sink exited; see ${child.logFile}`)));
  });
  return { child, url };
}

// The router's YAML: the benchmark graph, Authorization propagated, and — with `sinkUrl` —
// every request traced, OTLP metrics and usage reports sent there each `interval`
// (tracing's batches use its default interval unless `tracingInterval` is given).
function routerConfig({ port, supergraph, sinkUrl, interval = '1s', tracingInterval = null }) {
  const lines = [`listen: 127.0.0.1:${port}`, `supergraph: ${supergraph}`, 'headers:', '  all:',
                 '    propagate: [Authorization]'];
  if (sinkUrl) {
    lines.push('telemetry:', '  exporters:', `    - endpoint: ${sinkUrl}`, '      timeout: 1s',
               '  tracing:', '    sampler: 1.0');
    if (tracingInterval) lines.push(`    export_interval: ${tracingInterval}`);
    lines.push('  metrics:', `    export_interval: ${interval}`, '  usage:',
               `    endpoint: ${sinkUrl}/v1/usage`, '    graph_token: bench-token',
               `    report_interval: ${interval}`, '    timeout: 1s');
  }
  return lines.join('\n') + '\n';
}

module.exports = { startSink, routerConfig };
