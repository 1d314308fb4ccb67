// Package harness runs belong and the services it depends on as child processes
// and measures them from the outside. It holds what the programs that benchmark
// belong (cmd/bench) and put it under faults (cmd/faults) share: starting,
// signalling and stopping a process with its output in a log file, Meilisearch's
// own HTTP API, and latency percentiles.
package harness
