// Package seed owns the data a fresh installation can be filled with: the demo
// listings (about 150 believable groups in Chicago, Los Angeles, Madrid and Mexico
// City, plus groups that meet online) and the deterministic synthetic generator
// that loads hundreds of thousands of listings for benchmarks.
//
// Both are deterministic: the same inputs give the same rows, so a demo database
// can be rebuilt and a benchmark repeated.
package seed
