// Package directory owns the listings people search: organizations, listings, where
// and when they meet, the barrier tags that describe each space, and the rules that
// derive attendance mode and freshness from that data. It knows nothing of HTTP or SQL.
package directory
