-- wrk's figures as one machine-readable line for bench/versus_oxigraph.py (times in microseconds).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %.0f, "non_2xx": %d, "socket_errors": %d, "p50_us": %.0f, "p99_us": %.0f}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
